package berth.engine.it.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

import berth.network.Networks;

/**
 * A berth daemon of a test class's own, as a JUnit extension ({@code @RegisterExtension static final TestDaemon
 * berth = new TestDaemon();}): started before the class's tests on a private socket and root under a fresh
 * temporary directory, its stderr in a file that is printed when a test or lifecycle method fails. After the
 * tests it removes every container (with its anonymous volumes), volume and user-defined network through the
 * docker CLI, stops the daemon with SIGTERM, then removes its bridges, iptables chains, mounts and directory.
 */
public final class TestDaemon implements BeforeAllCallback, AfterAllCallback, TestExecutionExceptionHandler,
        LifecycleMethodExecutionExceptionHandler {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(120);
    private static final List<String> PREDEFINED_NETWORKS = List.of("bridge", "host", "none");

    private Path dir;
    private Path root;
    private Path socket;
    private Path log;
    private Path dockerConfig;
    private Process process;

    /** {@code unix://} and the daemon's socket: what DOCKER_HOST is set to for clients. */
    public String host() {
        return "unix://" + socket;
    }

    /** A directory for the test's own files, deleted with the daemon's root. */
    public Path scratch() throws IOException {
        return Files.createDirectories(dir.resolve("scratch"));
    }

    /** The environment that points a docker client at this daemon, with a private (empty) client configuration. */
    public Map<String, String> clientEnv() {
        return Map.of("DOCKER_HOST", host(), "DOCKER_CONFIG", dockerConfig.toString());
    }

    /** Runs the docker CLI (the one on PATH) against this daemon. */
    public Command.Result docker(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        return Command.run(command, clientEnv(), CLI_TIMEOUT);
    }

    /** Imports the busybox rootfs (see {@link BusyboxRootfs}) as {@code reference}, with {@code CMD ["sh"]}. */
    public void importBusybox(String reference) throws IOException, InterruptedException {
        Path tar = BusyboxRootfs.write(scratch().resolve("busybox-" + System.nanoTime() + ".tar"));
        try {
            docker("import", "-c", "CMD [\"sh\"]", tar.toString(), reference).ok();
        } finally {
            Files.deleteIfExists(tar);
        }
    }

    /** What the daemon has written to stderr so far. */
    public String log() throws IOException {
        return log != null && Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("berth-testdaemon-");
        root = dir.resolve("root");
        socket = dir.resolve("berth.sock");
        log = dir.resolve("daemon.log");
        dockerConfig = Files.createDirectories(dir.resolve("docker-config"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "--sun-misc-unsafe-memory-access=allow",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "berth.engine.Daemon", "--host", host(), "--root", root.toString());
        pb.redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        process = pb.start();
        System.err.println("berth test daemon for " + context.getDisplayName() + ": root " + root + ", bridges and chains "
                + Networks.derivePrefix(root) + "*, log " + log);
        awaitPing();
    }

    private void awaitPing() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!answers()) {
            if (!process.isAlive()) fail("berth daemon exited " + process.exitValue() + " before answering on " + socket + ":\n" + log());
            if (System.nanoTime() > deadline) fail("berth daemon did not answer on " + socket + " within " + START_TIMEOUT.toSeconds() + " s:\n" + log());
            Thread.sleep(100);
        }
    }

    private boolean answers() {
        if (!Files.exists(socket)) return false;
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap("GET /_ping HTTP/1.1\r\nHost: berth\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer reply = ByteBuffer.allocate(12);
            while (reply.hasRemaining() && ch.read(reply) >= 0) {
                // the status line's start is enough
            }
            return new String(reply.array(), 0, reply.position(), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (dir == null) return;
        List<Exception> failures = new ArrayList<>();
        if (process != null && process.isAlive()) {
            attempt(failures, this::removeContainers);
            attempt(failures, this::removeVolumes);
            attempt(failures, this::removeNetworks);
            attempt(failures, this::stop);
        }
        String daemonLog = log();
        attempt(failures, () -> new RootCleanup(dir, root).run());
        if (failures.isEmpty()) return;
        System.err.println("berth daemon log (" + context.getDisplayName() + "):\n" + daemonLog);
        Exception first = failures.getFirst();
        failures.stream().skip(1).forEach(first::addSuppressed);
        throw first;
    }

    private void removeContainers() throws IOException, InterruptedException {
        List<String> ids = docker("ps", "-aq", "--no-trunc").ok().out().lines().filter(l -> !l.isBlank()).toList();
        if (ids.isEmpty()) return;
        List<String> args = new ArrayList<>(List.of("rm", "-f", "-v"));
        args.addAll(ids);
        docker(args.toArray(String[]::new)).ok();
    }

    private void removeVolumes() throws IOException, InterruptedException {
        List<String> names = docker("volume", "ls", "-q").ok().out().lines().filter(l -> !l.isBlank()).toList();
        if (names.isEmpty()) return;
        List<String> args = new ArrayList<>(List.of("volume", "rm", "-f"));
        args.addAll(names);
        docker(args.toArray(String[]::new)).ok();
    }

    private void removeNetworks() throws IOException, InterruptedException {
        List<String> names = docker("network", "ls", "--format", "{{.Name}}").ok().out().lines()
                .filter(l -> !l.isBlank() && !PREDEFINED_NETWORKS.contains(l)).toList();
        if (names.isEmpty()) return;
        List<String> args = new ArrayList<>(List.of("network", "rm"));
        args.addAll(names);
        docker(args.toArray(String[]::new)).ok();
    }

    private void stop() throws InterruptedException {
        process.destroy();
        if (process.waitFor(30, TimeUnit.SECONDS)) return;
        process.destroyForcibly().waitFor();
        throw new IllegalStateException("berth daemon did not stop within 30 s of SIGTERM; killed it");
    }

    /** An action of the cleanup whose failure must not keep the rest from running. */
    private interface Step {
        void run() throws Exception;
    }

    private static void attempt(List<Exception> failures, Step step) {
        try {
            step.run();
        } catch (Exception | AssertionError e) {
            failures.add(e instanceof Exception ex ? ex : new IllegalStateException(e.getMessage(), e));
        }
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        printLog(context);
        throw throwable;
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        printLog(context);
        throw throwable;
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        printLog(context);
        throw throwable;
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        printLog(context);
        throw throwable;
    }

    @Override
    public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        printLog(context);
        throw throwable;
    }

    private void printLog(ExtensionContext context) throws IOException {
        System.err.println("berth daemon log at the failure of " + context.getDisplayName() + ":\n" + log());
    }
}
