package berth.runtime.cli;

import berth.runtime.ContainerRuntime.ExecOptions;
import berth.runtime.Json;
import berth.runtime.RuntimeError;
import berth.runtime.spec.Capability;
import berth.runtime.spec.Spec;
import berth.runtime.spec.SpecParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "exec", description = "Run a new process inside a running container.")
final class ExecCommand implements Callable<Integer>, Main.WithId {
    @ParentCommand Main main;
    @Parameters(index = "0", paramLabel = "ID") String id;
    @Parameters(index = "1..*", paramLabel = "COMMAND") List<String> command = new ArrayList<>();
    @Option(names = {"-p", "--process"}, description = "a JSON file with the process to run") Path processFile;
    @Option(names = {"-e", "--env"}) List<String> env = new ArrayList<>();
    @Option(names = "--cwd") String cwd;
    @Option(names = {"-u", "--user"}, description = "UID[:GID]") String user;
    @Option(names = {"-g", "--additional-gids"}) List<Long> additionalGids = new ArrayList<>();
    @Option(names = {"-t", "--tty"}) boolean tty;
    @Option(names = {"-d", "--detach"}) boolean detach;
    @Option(names = "--pid-file") Path pidFile;
    @Option(names = "--console-socket") String consoleSocket;
    @Option(names = {"-c", "--cap"}) List<String> caps = new ArrayList<>();
    @Option(names = "--no-new-privs") boolean noNewPrivs;
    @Option(names = "--preserve-fds") int preserveFds;
    @Option(names = "--process-label", hidden = true) String processLabel;
    @Option(names = "--apparmor", hidden = true) String apparmor;
    @Option(names = "--ignore-paused", hidden = true) boolean ignorePaused;
    @Option(names = "--cgroup", hidden = true) List<String> cgroup;

    @Override
    public String id() {
        return id;
    }

    @Override
    public Integer call() {
        Spec.Process process = processFile != null ? SpecParser.process(Json.read(processFile)) : fromFlags();
        return main.runtime().exec(id, process, new ExecOptions(pidFile, consoleSocket, detach, preserveFds));
    }

    /** runc's way: the container's own process settings, with the flags laid over them. */
    private Spec.Process fromFlags() {
        if (command.isEmpty()) throw new RuntimeError("exec needs a command to run (or --process)");
        Spec.Process base = main.runtime().loadSpec(id).process();
        List<String> environment = new ArrayList<>(base.env());
        environment.addAll(env);
        Spec.User u = base.user();
        if (user != null) {
            String[] parts = user.split(":", 2);
            try {
                u = new Spec.User(Long.parseLong(parts[0]), parts.length > 1 ? Long.parseLong(parts[1]) : u.gid(),
                        u.umask(), u.additionalGids());
            } catch (NumberFormatException e) {
                throw new RuntimeError("--user " + user + ": expected UID[:GID] as numbers");
            }
        }
        if (!additionalGids.isEmpty()) u = new Spec.User(u.uid(), u.gid(), u.umask(), List.copyOf(additionalGids));
        Spec.Capabilities c = base.capabilities();
        if (!caps.isEmpty()) {
            for (String cap : caps) {
                if (Capability.number(cap) < 0) throw new RuntimeError("--cap " + cap + ": unknown capability");
            }
            c = new Spec.Capabilities(plus(c == null ? null : c.bounding(), caps), plus(c == null ? null : c.effective(), caps),
                    c == null ? null : c.inheritable(), plus(c == null ? null : c.permitted(), caps), c == null ? null : c.ambient());
        }
        return new Spec.Process(tty, base.consoleSize(), u, List.copyOf(command), environment,
                cwd != null ? cwd : base.cwd(), c, base.rlimits(), base.noNewPrivileges() || noNewPrivs, null);
    }

    private static List<String> plus(List<String> set, List<String> more) {
        List<String> out = new ArrayList<>(set == null ? List.of() : set);
        for (String m : more) {
            String name = m.toUpperCase().startsWith("CAP_") ? m.toUpperCase() : "CAP_" + m.toUpperCase();
            if (!out.contains(name)) out.add(name);
        }
        return out;
    }
}
