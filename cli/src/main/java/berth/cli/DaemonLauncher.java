package berth.cli;

import berth.cli.client.ApiClient;
import berth.cli.client.DaemonHost;
import berth.cli.client.DaemonUnreachableException;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Starts the daemon when nothing answers at the default socket, as the architecture asks of the CLI:
 * {@code bin/berth daemon --host ... --root ...} in its own session (setsid), its output appended to
 * {@code <root>/daemon.log}, then {@code /_ping} until it answers (at most {@link #WAIT_MILLIS}). A lock
 * file under the root keeps two clients from starting two daemons.
 */
final class DaemonLauncher {
    static final String DEFAULT_ROOT = "/var/lib/berth";
    static final long WAIT_MILLIS = 10_000;

    private final DaemonHost host;
    private final Path root;
    private final String binary;
    private final long waitMillis;
    private final PrintStream err;

    /** {@code binary}: bin/berth (null if unknown); {@code waitMillis}: how long a started daemon may take to answer. */
    DaemonLauncher(DaemonHost host, Path root, String binary, long waitMillis, PrintStream err) {
        this.host = host;
        this.root = root.toAbsolutePath();
        this.binary = binary;
        this.waitMillis = waitMillis;
        this.err = err;
    }

    void ensureRunning(ApiClient api) throws IOException {
        if (answers(api)) return;
        Files.createDirectories(root);
        try (FileChannel lockFile = FileChannel.open(root.resolve("daemon.start.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock _ = lockFile.lock()) {
            if (answers(api)) return;
            Path log = root.resolve("daemon.log");
            start(log);
            long deadline = System.currentTimeMillis() + waitMillis;
            while (System.currentTimeMillis() < deadline) {
                if (answers(api)) return;
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            throw new DaemonUnreachableException("Cannot connect to the berth daemon at " + host.uri() + ": started it, but it did not answer within "
                    + (waitMillis % 1000 == 0 ? Long.toString(waitMillis / 1000) : Double.toString(waitMillis / 1000.0)) + " s (see " + log + ")", null);
        }
    }

    private static boolean answers(ApiClient api) throws IOException {
        try {
            api.version();
            return true;
        } catch (DaemonUnreachableException e) {
            return false;
        }
    }

    private void start(Path log) throws IOException {
        if (binary == null || !Files.isExecutable(Path.of(binary))) {
            throw new DaemonUnreachableException("Cannot connect to the berth daemon at " + host.uri()
                    + " and cannot start one: bin/berth's location is unknown (the berth.bin system property)", null);
        }
        Files.createDirectories(host.socket().toAbsolutePath().getParent());
        List<String> cmd = List.of("setsid", binary, "daemon", "--host", host.uri(), "--root", root.toString());
        new ProcessBuilder(cmd).redirectInput(new File("/dev/null"))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true).start();
        err.println("berth: started the daemon at " + host.uri() + " (log: " + log + ")");
    }
}
