package berth.runtime.cli;

import java.nio.file.Path;

final class RunCommand {
    static final Verb VERB = new Verb("run", "Create and start a container; in the foreground, wait and exit with its status.", "[flags] ID",
            Options.createFlags()
                    .bool("run in the background", "detach", "d")
                    .bool("keep the container's state after it exits", "keep")
                    .bool(null, "no-subreaper"), RunCommand::run);

    private RunCommand() {}

    private static int run(Main main, Flags.Parsed a) {
        main.id = a.arg(0, "container id");
        return main.runtime().run(main.id, Path.of(a.get("bundle", ".")), Options.create(a), a.is("detach"), a.is("keep"));
    }
}
