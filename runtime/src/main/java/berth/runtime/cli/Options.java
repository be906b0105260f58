package berth.runtime.cli;

import berth.runtime.ContainerRuntime.CreateOptions;

import java.nio.file.Path;

/** Flag values shared by several verbs. */
final class Options {
    private Options() {}

    /** The flags create and run share (runc's), which {@link #create} reads. */
    static Flags createFlags() {
        return new Flags()
                .value("bundle directory (default: the current directory)", "bundle", "b")
                .value("write the container's pid to this file", "pid-file")
                .value("unix socket that receives the pty master", "console-socket")
                .bool("use chroot instead of pivot_root", "no-pivot")
                .value("pass this many more descriptors, from 3", "preserve-fds")
                .bool(null, "no-new-keyring");
    }

    static CreateOptions create(Flags.Parsed a) {
        return new CreateOptions(pidFile(a), a.get("console-socket"), a.is("no-pivot"), a.integer("preserve-fds", 0));
    }

    static Path pidFile(Flags.Parsed a) {
        return a.get("pid-file") == null ? null : Path.of(a.get("pid-file"));
    }
}
