package berth.runtime.cli;

import berth.runtime.ContainerRuntime;
import berth.runtime.ExecutorBinary;
import berth.runtime.Json;
import berth.runtime.Procfs;
import berth.runtime.RuntimeError;
import berth.runtime.plan.PlanCompiler;
import berth.runtime.seccomp.SeccompCompiler;
import berth.runtime.spec.InvalidSpecException;
import berth.sys.LinuxSyscalls;
import berth.sys.SysException;
import berth.sys.Syscalls;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Entry point of {@code berth-runtime}. */
@Command(name = "berth-runtime", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "berth's OCI runtime: runs OCI bundles, with runc's verbs and flags.",
        subcommands = {SpecCommand.class, CreateCommand.class, StartCommand.class, StateCommand.class,
                KillCommand.class, DeleteCommand.class, RunCommand.class, ExecCommand.class, ListCommand.class,
                PsCommand.class, FeaturesCommand.class})
public final class Main {
    @Option(names = "--root", description = "directory for container state (default ${DEFAULT-VALUE})")
    Path root = Path.of("/run/berth-runtime");

    @Option(names = "--log", description = "append errors and warnings to this file")
    Path log;

    @Option(names = "--log-format", description = "text or json (default ${DEFAULT-VALUE})")
    String logFormat = "text";

    @Option(names = "--debug", description = "print stack traces")
    boolean debug;

    // Accepted for compatibility with runc's callers; they change nothing here.
    @Option(names = "--systemd-cgroup", arity = "0..1", hidden = true) boolean systemdCgroup;
    @Option(names = "--criu", hidden = true) String criu;
    @Option(names = "--rootless", arity = "0..1", hidden = true) String rootless;

    private Syscalls sys;
    private ContainerRuntime runtime;

    /** The runtime over {@code --root}, built on first use. */
    ContainerRuntime runtime() {
        if (runtime == null) {
            sys = new LinuxSyscalls();
            runtime = new ContainerRuntime(sys, root.toAbsolutePath(), new ExecutorBinary(sys),
                    new PlanCompiler(SeccompCompiler::new), Procfs::hostFacts);
        }
        return runtime;
    }

    Syscalls sys() {
        runtime();
        return sys;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        Main main = new Main();
        CommandLine cl = new CommandLine(main);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> main.report(cmd, e));
        cl.setParameterExceptionHandler((e, a) -> {
            String verb = e.getCommandLine().getCommandName();
            System.err.println("berth-runtime: " + (verb.equals("berth-runtime") ? "" : verb + ": ") + e.getMessage());
            return 2;
        });
        return cl.execute(args);
    }

    private int report(CommandLine cmd, Exception e) {
        String verb = cmd.getCommandName();
        String id = cmd.getCommand() instanceof WithId w ? w.id() : null;
        String what = e instanceof RuntimeError || e instanceof SysException || e instanceof InvalidSpecException
                ? e.getMessage() : e.toString();
        String line = verb + (id == null ? "" : " " + id) + ": " + what;
        System.err.println("berth-runtime: " + line);
        if (debug) e.printStackTrace();
        log("error", line);
        return 1;
    }

    /** Appends one entry to --log in the chosen format. */
    void log(String level, String msg) {
        if (log == null) return;
        String entry;
        if (logFormat.equals("json")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("level", level);
            m.put("msg", msg);
            m.put("time", Instant.now().toString());
            entry = Json.write(m, false);
        } else {
            entry = "time=\"" + Instant.now() + "\" level=" + level + " msg=\"" + msg.replace("\"", "\\\"") + "\"";
        }
        try {
            Files.writeString(log, entry + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // logging must not turn a result into a failure
        }
    }

    /** A verb that acts on one container; its id goes into error messages. */
    interface WithId {
        String id();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"berth-runtime version 0.1.0", "spec: 1.2.0"};
        }
    }
}
