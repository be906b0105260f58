package berth.cli;

import berth.cli.client.ApiClient;
import berth.cli.client.DaemonException;
import berth.cli.client.DaemonHost;
import berth.cli.client.DaemonUnreachableException;
import berth.cli.client.UnixHttpTransport;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Entry point of {@code bin/berth}: a thin client of the daemon's Docker Engine API socket, with Docker's
 * verbs. {@code berth daemon} runs the daemon itself (berth.engine.Daemon) in this process.
 */
public final class Main {
    static final String VERSION = "0.1.0";
    static final String DAEMON_CLASS = "berth.engine.Daemon";

    private static final CliFlags GLOBAL = new CliFlags()
            .value("host", 'H', "daemon socket to connect to (default " + DaemonHost.DEFAULT + ", or $DOCKER_HOST)")
            .value("root", '\0', "the data root of a daemon this command starts (default /var/lib/berth)")
            .value("config", '\0', "location of client config files (default ~/.docker)")
            .bool("debug", 'D', "print stack traces on errors")
            .bool("version", 'v', "print the version")
            .bool("help", 'h', "show help")
            .stopAtFirstArgument();

    final PrintStream out;
    final PrintStream err;
    final InputStream in;
    private final Map<String, String> env;
    private String hostFlag;
    private Path root;
    String configDir;
    private ApiClient api;

    Main(PrintStream out, PrintStream err, InputStream in, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.in = in;
        this.env = env;
    }

    public static void main(String[] args) {
        int status = new Main(System.out, System.err, System.in, System.getenv()).execute(args);
        System.out.flush();
        System.exit(status);
    }

    /** The daemon's API, reached (and, at the default address, started) on first use. */
    ApiClient api() throws IOException {
        if (api == null) {
            DaemonHost host = DaemonHost.choose(hostFlag, env);
            ApiClient client = new ApiClient(new UnixHttpTransport(host.socket()), host.uri());
            if (host.isDefault()) {
                Path dataRoot = root != null ? root : Path.of(DaemonLauncher.DEFAULT_ROOT);
                new DaemonLauncher(host, dataRoot, System.getProperty("berth.bin"), DaemonLauncher.WAIT_MILLIS, err).ensureRunning(client);
            }
            api = client;
        }
        return api;
    }

    boolean terminal() {
        return System.console() != null && System.console().isTerminal();
    }

    int execute(String[] argv) {
        boolean debug = Arrays.asList(argv).contains("--debug") || Arrays.asList(argv).contains("-D");
        String verb = "";
        try {
            CliFlags.Parsed g = GLOBAL.parse(Arrays.asList(argv));
            if (g.is("version")) {
                out.println("berth version " + VERSION);
                return 0;
            }
            hostFlag = g.get("host");
            if (g.get("root") != null) root = Path.of(g.get("root"));
            configDir = g.get("config");
            if (g.args().isEmpty() || g.is("help")) {
                out.print(usage());
                return g.args().isEmpty() && !g.is("help") ? 1 : 0;
            }
            List<String> args = g.args();
            if (args.getFirst().equals("daemon")) return daemon(args.subList(1, args.size()));
            Command cmd = Commands.find(args);
            if (cmd == null) throw new UsageException("unknown command \"" + String.join(" ", args.subList(0, Math.min(2, args.size()))) + "\"");
            verb = String.join(" ", cmd.words());
            List<String> rest = args.subList(cmd.words().size(), args.size());
            if (rest.contains("--help") || (rest.contains("-h") && !cmd.flags().hasShorthand('h'))) {
                out.println("Usage:  berth " + verb + " " + cmd.usage());
                out.println();
                out.println(cmd.help());
                out.print(cmd.flags().usage());
                return 0;
            }
            return cmd.run(this, cmd.flags().parse(rest));
        } catch (UsageException e) {
            err.println("berth: " + e.getMessage() + (verb.isEmpty() ? " (see 'berth --help')" : " (see 'berth " + verb + " --help')"));
            return 125;
        } catch (ExitStatus e) {
            if (debug && e.getCause() != null) e.getCause().printStackTrace(err);
            if (e.getMessage() != null) err.println(e.getMessage());
            return e.status();
        } catch (Exception e) {
            if (debug) e.printStackTrace(err);
            err.println(message(e));
            return 1;
        }
    }

    /** One line for any failure: the daemon's own message, or what failed and why. */
    static String message(Throwable e) {
        if (e instanceof DaemonException d) return "Error response from daemon: " + d.getMessage();
        if (e instanceof DaemonUnreachableException u) return u.getMessage();
        String msg = e.getMessage();
        if (e instanceof UncheckedIOException u && u.getCause() != null && u.getCause().getMessage() != null
                && (msg == null || !msg.contains(u.getCause().getMessage()))) {
            msg = (msg == null ? "" : msg + ": ") + u.getCause().getMessage();
        }
        if (msg == null) msg = e.getClass().getSimpleName();
        if (e instanceof IOException && !(e instanceof java.io.FileNotFoundException)) msg = "error during connect: " + msg;
        return "Error: " + msg.lines().findFirst().orElse(msg);
    }

    /** {@code berth daemon [--host unix:///path.sock] [--root /dir]}: runs the engine's daemon in this JVM. */
    private int daemon(List<String> args) throws Exception {
        Class<?> daemon;
        try {
            daemon = Class.forName(DAEMON_CLASS);
        } catch (ClassNotFoundException e) {
            throw new ExitStatus(1, "berth: this build has no daemon (" + DAEMON_CLASS + " is not on the class path)", e);
        }
        try {
            daemon.getMethod("main", String[].class).invoke(null, (Object) args.toArray(String[]::new));
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception cause) throw cause;
            throw e;
        }
        return 0;
    }

    private static String usage() {
        StringBuilder sb = new StringBuilder("Usage:  berth [OPTIONS] COMMAND\n\nA container engine: a client of berth's daemon (the Docker Engine API).\n\nOptions:\n");
        sb.append(GLOBAL.usage()).append("\nCommands:\n");
        sb.append(String.format("  %-16s %s%n", "daemon", "Run the daemon (berth daemon [--host unix:///path.sock] [--root /dir])"));
        java.util.Set<String> shown = new java.util.HashSet<>();
        for (Command c : Commands.ALL) {
            String first = c.words().getFirst();
            if (!shown.add(first)) continue;
            String help = c.words().size() == 1 ? c.help() : "Manage " + first + "s";
            sb.append(String.format("  %-16s %s%n", first, help));
        }
        return sb.toString();
    }

    /** One berth command: its words ({@code image inspect}), flags and body. */
    record Command(List<String> words, String usage, String help, CliFlags flags, Body body) {
        /** {@code words} space-separated, as typed: {@code "image inspect"}. */
        static Command of(String words, String usage, String help, CliFlags flags, Body body) {
            return new Command(List.of(words.split(" ")), usage, help, flags, body);
        }

        int run(Main main, CliFlags.Parsed p) throws Exception {
            return body.run(main, p);
        }
    }

    @FunctionalInterface
    interface Body {
        int run(Main main, CliFlags.Parsed p) throws Exception;
    }

    static Map<String, String> env() {
        return System.getenv();
    }
}
