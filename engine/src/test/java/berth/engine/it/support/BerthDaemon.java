package berth.engine.it.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import berth.sys.LinuxSyscalls;

/**
 * A private berth daemon for a test: started as a subprocess on its own socket and root in a new temporary
 * directory (which it owns), driven with the real {@code docker} CLI ({@link #docker}), and removed with everything it made
 * ({@link #close}): containers, volumes, networks and their bridges, mounts under the root, the root itself.
 * The daemon's stderr goes to a file that {@link #log} returns, for printing when a test fails.
 */
public final class BerthDaemon implements AutoCloseable {
    /** The Docker CLI the tests use: Debian's docker.io client, the one CI installs. */
    public static final Path DOCKER = Path.of("/usr/bin/docker");
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final int MNT_DETACH = 2;

    private final Path dir;
    private final Path socket;
    private final Path root;
    private final Path log;
    private final Path dockerConfig;
    private Process process;

    /** What a command printed and how it exited. */
    public record Result(int exit, byte[] stdout, String err) {
        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "exit " + exit + ", stdout: " + out().strip() + ", stderr: " + err.strip();
        }
    }

    private BerthDaemon(Path dir) {
        this.dir = dir;
        this.socket = dir.resolve("berth.sock");
        this.root = dir.resolve("root");
        this.log = dir.resolve("daemon.log");
        this.dockerConfig = dir.resolve("docker-config");
    }

    /** Starts a daemon with its socket, root and log in a new temporary directory and waits for {@code /_ping}. */
    public static BerthDaemon start() throws IOException, InterruptedException {
        if (!Files.isExecutable(DOCKER)) fail(DOCKER + " is needed (Debian's docker.io client) and is missing");
        BerthDaemon d = new BerthDaemon(Files.createTempDirectory("berth-e2e-"));
        try {
            Files.createDirectories(d.dockerConfig);
            d.launch();
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            d.close();
            throw e;
        }
        return d;
    }

    /** Stops the daemon with SIGTERM and waits for it to exit; its containers keep running. */
    public void stopDaemon() throws InterruptedException {
        stopProcess();
    }

    /** Starts the daemon again after {@link #stopDaemon}, on the same root. */
    public void startDaemon() throws IOException, InterruptedException {
        launch();
    }

    private void launch() throws IOException, InterruptedException {
        Files.deleteIfExists(socket);
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "berth.engine.Daemon",
                "--host", "unix://" + socket, "--root", root.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = pb.start();
        process.getOutputStream().close();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!pings()) {
            if (!process.isAlive()) fail("the berth daemon exited with " + process.exitValue() + " before answering:\n" + log());
            if (System.nanoTime() > deadline) fail("the berth daemon did not answer /_ping within " + START_TIMEOUT.toSeconds() + " s:\n" + log());
            Thread.sleep(100);
        }
    }

    private boolean pings() {
        if (!Files.exists(socket)) return false;
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ch.write(ByteBuffer.wrap("GET /_ping HTTP/1.1\r\nHost: berth\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(4096);
            while (ch.read(buf) > 0) {
                got.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            return got.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200");
        } catch (IOException e) {
            return false;
        }
    }

    private void stopProcess() throws InterruptedException {
        if (process == null || !process.isAlive()) return;
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the berth daemon did not stop within " + STOP_TIMEOUT.toSeconds() + " s of SIGTERM:\n" + log());
        }
    }

    /** Runs {@code docker ARGS} against this daemon with no input. */
    public Result docker(String... args) throws IOException, InterruptedException {
        return docker(null, COMMAND_TIMEOUT, args);
    }

    /** Runs {@code docker ARGS} with {@code stdin} (null: none) and fails the test if it runs longer than {@code timeout}. */
    public Result docker(byte[] stdin, Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(DOCKER.toString());
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("DOCKER_"));
        env.put("DOCKER_HOST", "unix://" + socket);
        env.put("DOCKER_CONFIG", dockerConfig.toString());
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread outReader = Thread.ofVirtual().start(() -> copy(p.getInputStream(), out));
        Thread errReader = Thread.ofVirtual().start(() -> copy(p.getErrorStream(), err));
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) in.write(stdin);
        } catch (IOException e) {
            // the command ended without reading all of its input; its exit status tells the rest
        }
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
            fail("docker " + String.join(" ", args) + " did not finish within " + timeout.toSeconds() + " s");
        }
        outReader.join();
        errReader.join();
        return new Result(p.exitValue(), out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs {@code docker ARGS}, fails the test unless it exits 0, and returns its stdout. */
    public String ok(String... args) throws IOException, InterruptedException {
        Result r = docker(args);
        if (r.exit() != 0) fail("docker " + String.join(" ", args) + ": " + r);
        return r.out();
    }

    private static void copy(InputStream in, OutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException e) {
            // the process is gone; what it wrote so far is kept
        }
    }

    /**
     * Imports {@code busybox:latest} from the host's static busybox: {@code bin/busybox}, a link per applet,
     * {@code etc/passwd} (root, nobody) and {@code etc/group}; {@code CMD ["sh"]}.
     */
    public void importBusybox() throws IOException, InterruptedException {
        if (!Files.isExecutable(BUSYBOX)) fail(BUSYBOX + " is needed (Debian's busybox-static) and is missing");
        Process list = new ProcessBuilder(BUSYBOX.toString(), "--list").redirectErrorStream(true).start();
        String applets = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (list.waitFor() != 0) fail(BUSYBOX + " --list failed: " + applets);
        Path tar = dir.resolve("busybox.tar");
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(tar))) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            directory(out, "bin/");
            directory(out, "etc/");
            TarArchiveEntry bin = new TarArchiveEntry(BUSYBOX.toFile(), "bin/busybox");
            bin.setMode(0100755);
            out.putArchiveEntry(bin);
            Files.copy(BUSYBOX, out);
            out.closeArchiveEntry();
            for (String applet : applets.split("\n")) {
                if (applet.isBlank() || applet.equals("busybox")) continue;
                TarArchiveEntry link = new TarArchiveEntry("bin/" + applet.strip(), TarArchiveEntry.LF_SYMLINK);
                link.setLinkName("busybox");
                out.putArchiveEntry(link);
                out.closeArchiveEntry();
            }
            file(out, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n");
            file(out, "etc/group", "root:x:0:\nnogroup:x:65534:\n");
        }
        ok("import", "-c", "CMD [\"sh\"]", tar.toString(), "busybox:latest");
    }

    private static void directory(TarArchiveOutputStream out, String name) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(040755);
        out.putArchiveEntry(e);
        out.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream out, String name, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(0100644);
        e.setSize(bytes.length);
        out.putArchiveEntry(e);
        out.write(bytes);
        out.closeArchiveEntry();
    }

    /** What the daemon wrote to stderr so far, and its exit status if it is gone (143: SIGTERM, 137: SIGKILL). */
    public String log() {
        String exit = process != null && !process.isAlive() ? "\n(the daemon exited with " + process.exitValue() + ")" : "";
        try {
            return (Files.exists(log) ? Files.readString(log) : "(no daemon log)") + exit;
        } catch (IOException e) {
            return "(daemon log unreadable: " + e.getMessage() + ")" + exit;
        }
    }

    /**
     * Removes every container, volume and user-defined network through the daemon, stops it, then removes
     * what could be left: container processes whose monitor names this root, the networks' bridges, mounts
     * under the root, and the directory. Problems are collected and reported together at the end.
     */
    @Override
    public void close() throws IOException, InterruptedException {
        List<String> problems = new ArrayList<>();
        List<String> networkIds = List.of();
        if (process != null && process.isAlive()) {
            removeAll(problems, List.of("ps", "-aq"), "rm", "-f", "-v");
            removeAll(problems, List.of("volume", "ls", "-q"), "volume", "rm", "-f");
            removeAll(problems, List.of("network", "ls", "-q", "--filter", "type=custom"), "network", "rm");
            networkIds = lines(docker("network", "ls", "-q", "--no-trunc").out());
            try {
                stopProcess();
            } catch (AssertionError e) {
                problems.add(e.getMessage());
            }
        }
        killLeftoverContainers(problems);
        deleteBridges(networkIds, problems);
        unmountUnder(root, problems);
        deleteTree(dir, problems);
        if (!problems.isEmpty()) throw new AssertionError("cleaning up the berth daemon in " + dir + ":\n" + String.join("\n", problems));
    }

    private void removeAll(List<String> problems, List<String> listCommand, String... removeCommand) throws IOException, InterruptedException {
        Result listed = docker(listCommand.toArray(String[]::new));
        List<String> ids = lines(listed.out());
        if (listed.exit() != 0) problems.add("docker " + String.join(" ", listCommand) + ": " + listed);
        if (ids.isEmpty()) return;
        List<String> args = new ArrayList<>(Arrays.asList(removeCommand));
        args.addAll(ids);
        Result r = docker(args.toArray(String[]::new));
        if (r.exit() != 0) problems.add("docker " + String.join(" ", args) + ": " + r);
    }

    private static List<String> lines(String out) {
        return out.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** A container monitor (the executor) names its container's directory under this root on its command line. */
    private void killLeftoverContainers(List<String> problems) {
        String marker = root + "/containers/";
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .forEach(monitor -> {
                    problems.add("container process left running, killed: " + monitor.info().commandLine().orElse("?"));
                    monitor.descendants().forEach(ProcessHandle::destroyForcibly);
                    monitor.destroyForcibly();
                });
    }

    /** The bridge of a network is named {@code bXXXXX-<first 8 digits of its ID>}; it outlives the daemon. */
    private static void deleteBridges(List<String> networkIds, List<String> problems) throws IOException, InterruptedException {
        if (networkIds.isEmpty()) return;
        Process links = new ProcessBuilder("ip", "-o", "link", "show").redirectErrorStream(true).start();
        String out = new String(links.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (links.waitFor() != 0) {
            problems.add("ip -o link show: " + out.strip());
            return;
        }
        for (String line : out.lines().toList()) {
            String[] f = line.split(":\\s+", 3);
            if (f.length < 2) continue;
            String name = f[1].split("@")[0];
            boolean ours = networkIds.stream().anyMatch(id -> id.length() >= 8 && name.matches("b[0-9a-f]{5}-" + id.substring(0, 8)));
            if (!ours) continue;
            Process del = new ProcessBuilder("ip", "link", "delete", name).redirectErrorStream(true).start();
            String msg = new String(del.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (del.waitFor() != 0) problems.add("ip link delete " + name + ": " + msg.strip());
        }
    }

    private static void unmountUnder(Path root, List<String> problems) throws IOException {
        String prefix = root.toAbsolutePath().normalize() + "/";
        List<String> targets = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            if (f.length > 4 && (f[4] + "/").startsWith(prefix)) targets.add(f[4]);
        }
        targets.sort(Comparator.comparingInt(String::length).reversed());
        LinuxSyscalls sys = new LinuxSyscalls();
        for (String t : targets) {
            try {
                sys.umount(t, MNT_DETACH);
            } catch (RuntimeException e) {
                problems.add("umount " + t + ": " + e.getMessage());
            }
        }
    }

    private static void deleteTree(Path dir, List<String> problems) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    problems.add("delete " + p + ": " + e.getMessage());
                }
            }
        }
    }
}
