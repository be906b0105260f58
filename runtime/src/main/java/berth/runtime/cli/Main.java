package berth.runtime.cli;

import berth.runtime.ContainerRuntime;
import berth.runtime.ExecutorBinary;
import berth.runtime.ExecutorProcess;
import berth.runtime.Launcher;
import berth.runtime.Json;
import berth.runtime.Procfs;
import berth.runtime.RuntimeError;
import berth.runtime.plan.PlanCompiler;
import berth.runtime.seccomp.SeccompCompiler;
import berth.runtime.json.InvalidSpecException;
import berth.sys.LinuxSyscalls;
import berth.sys.SysException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import berth.runtime.Timestamps;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Entry point of {@code berth-runtime}. */
public final class Main {
    static final String VERSION = "berth-runtime version 0.1.0\nspec: 1.2.0";

    private static final List<Verb> VERBS = List.of(SpecCommand.VERB, CreateCommand.VERB, StartCommand.VERB,
            StateCommand.VERB, KillCommand.VERB, DeleteCommand.VERB, RunCommand.VERB, ExecCommand.VERB,
            ListCommand.VERB, PsCommand.VERB, PauseCommand.VERB, ResumeCommand.VERB, UpdateCommand.VERB,
            EventsCommand.VERB, FeaturesCommand.VERB);

    private static final Flags GLOBAL = new Flags()
            .value("directory for container state (default /run/berth-runtime)", "root")
            .value("append errors and warnings to this file", "log")
            .value("log format: text or json", "log-format")
            .bool("print stack traces on errors", "debug")
            .value("a cgroup2 mount to place containers in (default: the host's cgroup hierarchy)", "cgroup-root")
            .bool("print the version", "version", "v")
            .bool("show help", "help", "h")
            // Accepted for compatibility with runc's callers; they change nothing here.
            .bool(null, "systemd-cgroup")
            .value(null, "criu")
            .value(null, "rootless");

    private Path root = Path.of("/run/berth-runtime");
    private Path log;
    private String logFormat = "text";
    private boolean debug;
    private Path cgroupRoot;
    private ContainerRuntime runtime;
    /** The container the running verb acts on, for error messages. */
    String id;

    /** The runtime over {@code --root}, built on first use. */
    ContainerRuntime runtime() {
        if (runtime == null) {
            var sys = new LinuxSyscalls();
            runtime = new ContainerRuntime(sys, root.toAbsolutePath(),
                    new Launcher(ExecutorProcess.jdk(new ExecutorBinary()), pid -> killQuietly(sys, pid)),
                    new PlanCompiler(SeccompCompiler::new),
                    Procfs::hostFacts, cgroupRoot, this::warn);
        }
        return runtime;
    }

    private static void killQuietly(LinuxSyscalls sys, int pid) {
        try {
            sys.kill(pid, 9);
        } catch (SysException ignored) {
            // already gone
        }
    }

    public static void main(String[] args) {
        int status = new Main().execute(args);
        berth.runtime.Trace.mark("exit");
        System.out.flush();
        System.exit(status);
    }

    /** Runs one command line; returns the exit status. */
    public int execute(String... argv) {
        String verbName = null;
        berth.runtime.Trace.mark("main");
        try {
            Flags.Parsed g = GLOBAL.parse(Arrays.asList(argv));
            if (g.get("root") != null) root = Path.of(g.get("root"));
            if (g.get("log") != null) log = Path.of(g.get("log"));
            logFormat = g.get("log-format", "text");
            debug = g.is("debug");
            if (g.get("cgroup-root") != null) cgroupRoot = Path.of(g.get("cgroup-root"));
            if (g.is("version")) {
                System.out.println(VERSION);
                return 0;
            }
            if (g.positionals().isEmpty() || g.is("help")) {
                System.out.print(help());
                return g.positionals().isEmpty() && !g.is("help") ? 2 : 0;
            }
            verbName = g.positionals().getFirst();
            Verb verb = find(verbName);
            List<String> rest = g.positionals().subList(1, g.positionals().size());
            if (rest.contains("--help") || rest.contains("-h")) {
                System.out.print("usage: berth-runtime " + verb.name() + " " + verb.synopsis() + "\n\n" + verb.summary()
                        + "\n\n" + verb.flags().usage());
                return 0;
            }
            var parsed = verb.flags().parse(rest);
            return verb.action().run(this, parsed);
        } catch (UsageException e) {
            return fail(verbName, e.getMessage(), e, 2);
        } catch (RuntimeError | SysException | InvalidSpecException e) {
            return fail(verbName, e.getMessage(), e, 1);
        } catch (RuntimeException e) {
            return fail(verbName, e.toString(), e, 1);
        }
    }

    private static Verb find(String name) {
        for (Verb v : VERBS) if (v.name().equals(name) || (name.equals("ls") && v.name().equals("list"))) return v;
        throw new UsageException("unknown command \"" + name + "\" (see berth-runtime --help)");
    }

    private int fail(String verb, String message, Exception e, int status) {
        String line = (verb == null ? "" : verb + (id == null ? "" : " " + id) + ": ") + message;
        System.err.println("berth-runtime: " + line);
        if (debug) e.printStackTrace();
        log("error", line);
        return status;
    }

    /** Prints a warning to stderr and the log. */
    void warn(String message) {
        System.err.println("berth-runtime: warning: " + message);
        log("warning", message);
    }

    private void log(String level, String msg) {
        if (log == null) return;
        String entry;
        if (logFormat.equals("json")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("level", level);
            m.put("msg", msg);
            m.put("time", Timestamps.now());
            entry = Json.write(m, false);
        } else {
            entry = "time=\"" + Timestamps.now() + "\" level=" + level + " msg=\"" + msg.replace("\"", "\\\"") + "\"";
        }
        try {
            Files.writeString(log, entry + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // logging must not turn a result into a failure
        }
    }

    private static String help() {
        StringBuilder sb = new StringBuilder("usage: berth-runtime [global flags] COMMAND [flags] [arguments]\n\n"
                + "berth's OCI runtime: runs OCI bundles, with runc's commands and flags.\n\nCommands:\n");
        for (Verb v : VERBS) sb.append(String.format("   %-10s %s%n", v.name(), v.summary()));
        return sb.append("\nGlobal flags:\n").append(GLOBAL.usage()).toString();
    }
}
