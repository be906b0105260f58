package berth.runtime.cli;

import java.nio.file.Path;

final class CreateCommand {
    static final Verb VERB = new Verb("create", "Create a container; its process waits for start.", "[flags] ID",
            new Flags()
            .value("bundle directory (default: the current directory)", "bundle", "b")
            .value("write the container's pid to this file", "pid-file")
            .value("unix socket that receives the pty master", "console-socket")
            .bool("use chroot instead of pivot_root", "no-pivot")
            .value("pass this many more descriptors, from 3", "preserve-fds")
            .bool(null, "no-new-keyring"), CreateCommand::run);

    private CreateCommand() {}

    private static int run(Main main, Flags.Parsed a) {
        main.id = a.arg(0, "container id");
        main.runtime().create(main.id, Path.of(a.get("bundle", ".")), Options.create(a));
        return 0;
    }
}
