package berth.cli;

import berth.image.ImageService;
import berth.sys.LinuxSyscalls;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Entry point of {@code bin/berth}. Until the engine's daemon exists, the image commands run in this
 * process over the store at {@code --root}.
 */
public final class Main {
    static final String VERSION = "berth version 0.1.0";

    private static final CliFlags GLOBAL = new CliFlags()
            .value("root", '\0', "the data root (default /var/lib/berth, or $BERTH_ROOT)")
            .value("storage-driver", '\0', "overlay2 or vfs (default: overlay2 where the kernel allows)")
            .value("config", '\0', "location of client config files (default ~/.docker)")
            .value("insecure-registry", '\0', "a registry host[:port] that may be reached over plain HTTP")
            .bool("debug", 'D', "print stack traces on errors")
            .bool("version", 'v', "print the version")
            .bool("help", 'h', "show help")
            .stopAtFirstArgument();

    final PrintStream out;
    final PrintStream err;
    private Path root = Path.of(System.getenv().getOrDefault("BERTH_ROOT", "/var/lib/berth"));
    private String storageDriver;
    String configDir;
    List<String> insecureRegistries = List.of();
    private ImageService images;

    Main(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        int status = new Main(System.out, System.err).execute(args);
        System.out.flush();
        System.exit(status);
    }

    ImageService images() {
        if (images == null) {
            images = new ImageService(root.toAbsolutePath(), new LinuxSyscalls(), storageDriver);
            images.recover();
        }
        return images;
    }

    boolean terminal() {
        return System.console() != null && System.console().isTerminal();
    }

    int execute(String[] argv) {
        boolean debug = Arrays.asList(argv).contains("--debug") || Arrays.asList(argv).contains("-D");
        try {
            CliFlags.Parsed g = GLOBAL.parse(Arrays.asList(argv));
            if (g.is("version")) {
                out.println(VERSION);
                return 0;
            }
            if (g.get("root") != null) root = Path.of(g.get("root"));
            storageDriver = g.get("storage-driver");
            configDir = g.get("config");
            insecureRegistries = g.all("insecure-registry");
            if (g.args().isEmpty() || g.is("help")) {
                out.print(usage());
                return g.args().isEmpty() && !g.is("help") ? 1 : 0;
            }
            List<String> args = g.args();
            Command cmd = Commands.find(args);
            if (cmd == null) throw new UsageException("unknown command \"" + String.join(" ", args.subList(0, Math.min(2, args.size()))) + "\"");
            List<String> rest = args.subList(cmd.words().size(), args.size());
            if (rest.contains("--help") || (rest.contains("-h") && !cmd.flags().hasShorthand('h'))) {
                out.println("Usage:  berth " + String.join(" ", cmd.words()) + " " + cmd.usage());
                out.println();
                out.println(cmd.help());
                out.print(cmd.flags().usage());
                return 0;
            }
            return cmd.run(this, cmd.flags().parse(rest));
        } catch (UsageException e) {
            err.println("berth: " + e.getMessage());
            err.println("See 'berth --help'.");
            return 125;
        } catch (Exception e) {
            return fail(e, debug);
        }
    }

    private int fail(Exception e, boolean debug) {
        if (debug) e.printStackTrace(err);
        String msg = e.getMessage();
        if (e instanceof UncheckedIOException u && u.getCause() != null && u.getCause().getMessage() != null
                && (msg == null || !msg.contains(u.getCause().getMessage()))) {
            msg = (msg == null ? "" : msg + ": ") + u.getCause().getMessage();
        }
        if (msg == null) msg = e.getClass().getSimpleName();
        err.println("Error: " + msg.lines().findFirst().orElse(msg));
        return 1;
    }

    private static String usage() {
        StringBuilder sb = new StringBuilder("Usage:  berth [OPTIONS] COMMAND\n\nA container engine.\n\nOptions:\n");
        sb.append(GLOBAL.usage()).append("\nCommands:\n");
        for (Command c : Commands.ALL) {
            if (c.words().size() > 1 && !c.words().getLast().equals("prune")) continue; // "image ls" is "images"
            sb.append(String.format("  %-16s %s%n", String.join(" ", c.words()), c.help()));
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
