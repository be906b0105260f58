package berth.runtime.cli;

import berth.runtime.ContainerRuntime;
import berth.runtime.Json;
import berth.runtime.spec.Spec;
import berth.runtime.spec.SpecParser;

import java.nio.file.Path;

import static berth.runtime.cli.Options.pidFile;

final class ExecCommand {
    static final Verb VERB = new Verb("exec", "Run a new process inside a running container.", "[flags] ID [COMMAND [ARG...]]",
            new Flags()
            .value("a JSON file with the process to run", "process", "p")
            .value("set an environment variable (repeatable)", "env", "e")
            .value("working directory inside the container", "cwd")
            .value("UID[:GID] to run as", "user", "u")
            .value("additional group id (repeatable)", "additional-gids", "g")
            .bool("allocate a terminal", "tty", "t")
            .bool("run in the background", "detach", "d")
            .value("write the process's pid to this file", "pid-file")
            .value("unix socket that receives the pty master", "console-socket")
            .value("add a capability (repeatable)", "cap", "c")
            .bool("set no_new_privs", "no-new-privs")
            .value("pass this many more descriptors, from 3", "preserve-fds")
            .value(null, "process-label")
            .value(null, "apparmor")
            .bool(null, "ignore-paused")
            .value(null, "cgroup"), ExecCommand::run);

    private ExecCommand() {}

    private static int run(Main main, Flags.Parsed a) {
        main.id = a.arg(0, "container id");
        Spec.Process process = a.get("process") != null
                ? SpecParser.process(Json.read(Path.of(a.get("process"))))
                : ExecProcess.fromFlags(main.runtime().loadSpec(main.id).process(), a);
        return main.runtime().exec(main.id, process, new ContainerRuntime.ExecOptions(pidFile(a),
                a.get("console-socket"), a.is("detach"), a.integer("preserve-fds", 0)));
    }
}
