package berth.cli.it;

import berth.cli.client.ApiClient;
import berth.cli.client.DaemonUnreachableException;
import berth.cli.client.UnixHttpTransport;
import berth.image.snapshot.Tree;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The daemon the CLI's integration tests talk to, one per test class with a private socket and data
 * root under a fresh temporary directory. The system property {@code berth.it.daemon} chooses it:
 * {@code berth} (the default, {@link #DEFAULT_KIND}) runs {@code bin/berth daemon --host ... --root ...};
 * {@code dockerd} runs Debian's dockerd (20.10) with its own exec root, pid
 * file and containerd namespace, no iptables and no default bridge, so the CLI is checked against the
 * reference implementation. {@link #close} stops it and removes everything it made, mounts included.
 */
final class DaemonUnderTest implements AutoCloseable {
    static final String PROPERTY = "berth.it.daemon";
    static final String DEFAULT_KIND = "berth";
    private static final long START_SECONDS = 60;

    private final String kind;
    private final Path dir;
    private final Path socket;
    private final Process process;
    private boolean busyboxLoaded;

    private DaemonUnderTest(String kind, Path dir, Path socket, Process process) {
        this.kind = kind;
        this.dir = dir;
        this.socket = socket;
        this.process = process;
    }

    static DaemonUnderTest start() throws IOException, InterruptedException {
        return start(System.getProperty(PROPERTY, DEFAULT_KIND));
    }

    /** A daemon of the given kind whatever the property says (a reference dockerd beside the one under test). */
    static DaemonUnderTest start(String kind) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("berth-it-");
        Path socket = dir.resolve("d.sock");
        List<String> cmd = switch (kind) {
            case "berth" -> List.of(Berth.BINARY.toString(), "daemon", "--host", "unix://" + socket, "--root", dir.resolve("root").toString());
            case "dockerd" -> {
                require("/usr/sbin/dockerd", "dockerd (Debian's docker.io package)");
                String ns = "berth-it-" + dir.getFileName();
                yield List.of("/usr/sbin/dockerd", "--host", "unix://" + socket, "--data-root", dir.resolve("root").toString(),
                        "--exec-root", dir.resolve("exec").toString(), "--pidfile", dir.resolve("d.pid").toString(),
                        "--iptables=false", "--ip6tables=false", "--ip-masq=false", "--bridge", "none",
                        "--containerd-namespace", ns, "--containerd-plugins-namespace", ns + "-plugins");
            }
            default -> throw new IllegalArgumentException(PROPERTY + " must be berth or dockerd, not " + kind);
        };
        Path log = dir.resolve("daemon.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        DaemonUnderTest d = new DaemonUnderTest(kind, dir, socket, p);
        try {
            d.awaitPing(log);
            return d;
        } catch (Throwable t) {
            d.close();
            throw t;
        }
    }

    private static void require(String path, String what) {
        if (!Files.isExecutable(Path.of(path))) fail("the CLI's integration tests need " + what + " at " + path);
    }

    private void awaitPing(Path log) throws IOException, InterruptedException {
        ApiClient api = new ApiClient(new UnixHttpTransport(socket), host());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (true) {
            try {
                api.ping();
                return;
            } catch (DaemonUnreachableException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    fail(kind + " daemon did not answer on " + socket + " within " + START_SECONDS + " s:\n" + Files.readString(log));
                }
                Thread.sleep(100);
            }
        }
    }

    /** {@code unix:///...}: what {@code -H} takes. */
    String host() {
        return "unix://" + socket;
    }

    String kind() {
        return kind;
    }

    Path dir() {
        return dir;
    }

    /**
     * Makes {@code busybox:latest} exist in the daemon, imported (with {@code berth import}) from a rootfs of
     * the host's static busybox with every applet linked in /bin, plus /tmp and /etc/passwd.
     */
    void loadBusybox(Berth berth) throws Exception {
        if (busyboxLoaded) return;
        berth.run("import", "-c", "CMD [\"/bin/sh\"]", "-c", "ENV PATH=/bin", busyboxTar(dir).toString(), "busybox:latest").ok();
        busyboxLoaded = true;
    }

    static Path busyboxTar(Path work) throws Exception {
        Path busybox = Path.of("/bin/busybox");
        if (!Files.isExecutable(busybox)) fail("the CLI's integration tests need a static busybox at /bin/busybox (busybox-static)");
        Path rootfs = Files.createTempDirectory(work, "bbroot");
        Path bin = Files.createDirectories(rootfs.resolve("bin"));
        Files.copy(busybox, bin.resolve("busybox"));
        Process list = new ProcessBuilder(busybox.toString(), "--list").redirectErrorStream(true).start();
        for (String applet : new String(list.getInputStream().readAllBytes()).split("\n")) {
            if (!applet.isBlank() && !applet.equals("busybox")) Files.createSymbolicLink(bin.resolve(applet.strip()), Path.of("busybox"));
        }
        list.waitFor();
        Files.createDirectories(rootfs.resolve("tmp"));
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n");
        Path tar = work.resolve(rootfs.getFileName() + ".tar");
        Process p = new ProcessBuilder("tar", "-C", rootfs.toString(), "-cf", tar.toString(), ".").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) fail("tar of the busybox rootfs failed: " + out);
        Tree.delete(rootfs);
        return tar;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
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
