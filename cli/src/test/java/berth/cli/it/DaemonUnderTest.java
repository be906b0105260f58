package berth.cli.it;

import berth.cli.client.ApiClient;
import berth.cli.client.DaemonUnreachableException;
import berth.cli.client.UnixHttpTransport;
import berth.engine.it.support.BusyboxRootfs;
import berth.engine.it.support.TestDaemon;
import berth.image.snapshot.Tree;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The daemon the CLI's integration tests talk to, one per test class with a private socket and data root.
 * The system property {@code berth.it.daemon} chooses it: {@code berth} (the default, {@link #DEFAULT_KIND})
 * is the engine's {@link TestDaemon} launched as {@code bin/berth daemon --host ... --root ...}, cleaned up
 * the same way as the engine's own tests' daemons; {@code dockerd} runs Debian's dockerd (20.10) with its own
 * exec root, pid file and containerd namespace, no iptables and no default bridge, so the CLI is checked
 * against the reference implementation. {@link #close} stops it and removes everything it made.
 */
final class DaemonUnderTest implements AutoCloseable {
    static final String PROPERTY = "berth.it.daemon";
    static final String DEFAULT_KIND = "berth";
    private static final long START_SECONDS = 60;

    private final String kind;
    private final String host;
    private final Path dir;
    private final TestDaemon berth;
    private final Process dockerd;
    private boolean busyboxLoaded;

    private DaemonUnderTest(String kind, String host, Path dir, TestDaemon berth, Process dockerd) {
        this.kind = kind;
        this.host = host;
        this.dir = dir;
        this.berth = berth;
        this.dockerd = dockerd;
    }

    static DaemonUnderTest start() throws IOException, InterruptedException {
        return start(System.getProperty(PROPERTY, DEFAULT_KIND));
    }

    /** A daemon of the given kind whatever the property says (a reference dockerd beside the one under test). */
    static DaemonUnderTest start(String kind) throws IOException, InterruptedException {
        return switch (kind) {
            case "berth" -> {
                TestDaemon d = new TestDaemon(List.of(Berth.BINARY.toString(), "daemon")).open("the CLI's tests");
                yield new DaemonUnderTest(kind, d.host(), d.scratch(), d, null);
            }
            case "dockerd" -> startDockerd();
            default -> throw new IllegalArgumentException(PROPERTY + " must be berth or dockerd, not " + kind);
        };
    }

    private static DaemonUnderTest startDockerd() throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of("/usr/sbin/dockerd"))) fail("the CLI's integration tests need dockerd (Debian's docker.io package) at /usr/sbin/dockerd");
        Path dir = Files.createTempDirectory("berth-it-");
        Path socket = dir.resolve("d.sock");
        String ns = "berth-it-" + dir.getFileName();
        List<String> cmd = List.of("/usr/sbin/dockerd", "--host", "unix://" + socket, "--data-root", dir.resolve("root").toString(),
                "--exec-root", dir.resolve("exec").toString(), "--pidfile", dir.resolve("d.pid").toString(),
                "--iptables=false", "--ip6tables=false", "--ip-masq=false", "--bridge", "none",
                "--containerd-namespace", ns, "--containerd-plugins-namespace", ns + "-plugins");
        Path log = dir.resolve("daemon.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        DaemonUnderTest d = new DaemonUnderTest("dockerd", "unix://" + socket, dir, null, p);
        try {
            d.awaitPing(socket, log);
            return d;
        } catch (Throwable t) {
            d.close();
            throw t;
        }
    }

    private void awaitPing(Path socket, Path log) throws IOException, InterruptedException {
        ApiClient api = new ApiClient(new UnixHttpTransport(socket), host);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (true) {
            try {
                api.ping();
                return;
            } catch (DaemonUnreachableException e) {
                if (!dockerd.isAlive() || System.nanoTime() > deadline) {
                    fail("dockerd did not answer on " + socket + " within " + START_SECONDS + " s:\n" + Files.readString(log));
                }
                Thread.sleep(100);
            }
        }
    }

    /** {@code unix:///...}: what {@code -H} takes. */
    String host() {
        return host;
    }

    String kind() {
        return kind;
    }

    /** A directory of the test's own, removed with the daemon. */
    Path dir() {
        return dir;
    }

    /**
     * Makes {@code busybox:latest} exist in the daemon, imported (with {@code berth import}) from the engine
     * tests' busybox rootfs ({@link BusyboxRootfs}).
     */
    void loadBusybox(Berth berth) throws Exception {
        if (busyboxLoaded) return;
        berth.run("import", "-c", "CMD [\"/bin/sh\"]", "-c", "ENV PATH=/bin", busyboxTar(dir).toString(), "busybox:latest").ok();
        busyboxLoaded = true;
    }

    /** A new tar of the busybox rootfs in {@code work}. */
    static Path busyboxTar(Path work) throws Exception {
        return BusyboxRootfs.write(Files.createTempFile(work, "busybox", ".tar"));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (berth != null) {
            berth.close();
            return;
        }
        dockerd.destroy();
        if (!dockerd.waitFor(30, TimeUnit.SECONDS)) {
            dockerd.destroyForcibly();
            dockerd.waitFor(10, TimeUnit.SECONDS);
        }
        List<String> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String mountPoint = line.split(" ")[4];
            if (mountPoint.startsWith(dir.toString() + "/")) mounts.add(mountPoint);
        }
        for (String m : mounts.reversed()) new ProcessBuilder("umount", "-l", m).redirectErrorStream(true).start().waitFor();
        Tree.delete(dir);
    }
}
