package berth.runtime.cli;

import java.nio.file.Path;

final class CreateCommand {
    static final Verb VERB = new Verb("create", "Create a container; its process waits for start.", "[flags] ID",
            Options.createFlags(), CreateCommand::run);

    private CreateCommand() {}

    private static int run(Main main, Flags.Parsed a) {
        main.id = a.arg(0, "container id");
        main.runtime().create(main.id, Path.of(a.get("bundle", ".")), Options.create(a));
        return 0;
    }
}
