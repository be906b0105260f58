package berth.runtime.cli;

import berth.runtime.ContainerRuntime.CreateOptions;

import java.nio.file.Path;

/** Flag values shared by several verbs. */
final class Options {
    private Options() {}

    static CreateOptions create(Flags.Parsed a) {
        return new CreateOptions(pidFile(a), a.get("console-socket"), a.is("no-pivot"), a.integer("preserve-fds", 0));
    }

    static Path pidFile(Flags.Parsed a) {
        return a.get("pid-file") == null ? null : Path.of(a.get("pid-file"));
    }
}
