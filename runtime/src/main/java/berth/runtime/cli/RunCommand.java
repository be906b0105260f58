package berth.runtime.cli;

import java.nio.file.Path;

final class RunCommand {
    static final Verb VERB = new Verb("run", "Create and start a container; in the foreground, wait and exit with its status.", "[flags] ID",
            new Flags()
            .value("bundle directory (default: the current directory)", "bundle", "b")
            .bool("run in the background", "detach", "d")
            .value("write the container's pid to this file", "pid-file")
            .value("unix socket that receives the pty master", "console-socket")
            .bool("use chroot instead of pivot_root", "no-pivot")
            .value("pass this many more descriptors, from 3", "preserve-fds")
            .bool("keep the container's state after it exits", "keep")
            .bool(null, "no-new-keyring")
            .bool(null, "no-subreaper"), RunCommand::run);

    private RunCommand() {}

    private static int run(Main main, Flags.Parsed a) {
        main.id = a.arg(0, "container id");
        return main.runtime().run(main.id, Path.of(a.get("bundle", ".")), Options.create(a), a.is("detach"), a.is("keep"));
    }
}
