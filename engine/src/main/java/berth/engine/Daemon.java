package berth.engine;

import berth.engine.http.ApiServer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code berth daemon [--host unix:///path.sock] [--root /dir] [--storage-driver overlay2|vfs]
 * [--insecure-registry host:port] [--debug]}: serves the Docker Engine API on a unix socket until SIGTERM or
 * SIGINT. Containers keep running when it stops (live restore); the next daemon on the same root adopts them.
 */
public final class Daemon {
    public static final String DEFAULT_SOCKET = "/run/berth/berth.sock";
    public static final String DEFAULT_ROOT = "/var/lib/berth";

    /** The daemon's settings from its command line. */
    public record Options(Path socket, Path root, String storageDriver, List<String> insecureRegistries, boolean debug) {}

    public static void main(String[] args) {
        Options opts;
        try {
            opts = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("berth daemon: " + e.getMessage());
            System.exit(125);
            return;
        }
        try {
            run(opts);
        } catch (RuntimeException | IOException e) {
            System.err.println("berth daemon: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            if (opts.debug()) e.printStackTrace();
            System.exit(1);
        }
    }

    static Options parse(String[] args) {
        Path socket = Path.of(DEFAULT_SOCKET);
        Path root = Path.of(System.getenv().getOrDefault("BERTH_ROOT", DEFAULT_ROOT));
        String driver = null;
        List<String> insecure = new ArrayList<>();
        boolean debug = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            int eq = a.indexOf('=');
            String name = a.startsWith("--") && eq > 0 ? a.substring(0, eq) : a;
            if (a.startsWith("--") && eq > 0) value = a.substring(eq + 1);
            switch (name) {
                case "--debug", "-D" -> debug = true;
                case "--host", "-H", "--root", "--data-root", "--storage-driver", "-s", "--insecure-registry" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) throw new IllegalArgumentException("flag needs an argument: " + name);
                        value = args[++i];
                    }
                    switch (name) {
                        case "--host", "-H" -> {
                            if (!value.startsWith("unix://")) {
                                throw new IllegalArgumentException("--host " + value + ": only unix:///path sockets are supported");
                            }
                            socket = Path.of(value.substring("unix://".length()));
                        }
                        case "--root", "--data-root" -> root = Path.of(value);
                        case "--storage-driver", "-s" -> driver = value;
                        default -> insecure.add(value);
                    }
                }
                default -> throw new IllegalArgumentException("unknown flag: " + a);
            }
        }
        return new Options(socket.toAbsolutePath(), root.toAbsolutePath(), driver, insecure, debug);
    }

    static void run(Options opts) throws IOException {
        Files.createDirectories(opts.root());
        try (FileChannel lockFile = FileChannel.open(opts.root().resolve("daemon.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            FileLock lock = lockFile.tryLock();
            if (lock == null) throw new IllegalStateException("another berth daemon is using " + opts.root());
            if (Files.exists(opts.socket()) && Engine.answers(opts.socket())) {
                throw new IllegalStateException("a daemon already answers on " + opts.socket());
            }
            Engine engine = Engine.open(opts);
            CountDownLatch stopped = new CountDownLatch(1);
            ApiServer server = ApiServer.start(opts.socket(), engine.router(), engine.errors());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                engine.close();
                stopped.countDown();
            }, "berth-shutdown"));
            System.err.println("berth daemon: serving the Docker Engine API on unix://" + opts.socket() + " (root " + opts.root() + ")");
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
