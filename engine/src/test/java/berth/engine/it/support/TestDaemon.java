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
 * A private berth daemon for integration tests: its socket, root, log and a docker client configuration in a
 * new temporary directory, driven with Debian's docker CLI ({@link #docker}). Either a JUnit extension of a
 * test class ({@code @RegisterExtension static final TestDaemon berth = new TestDaemon();}: started before
 * the class's tests, its log printed when a test or lifecycle method fails) or started and closed by hand
 * ({@link #start()}, {@link #close}). The daemon is this JVM's classpath running {@code berth.engine.Daemon},
 * or any other launcher ({@code bin/berth daemon}) given to {@link #TestDaemon(List)}.
 *
 * <p>{@link #close} removes every container (with its anonymous volumes), volume and user-defined network
 * through the daemon, stops it with SIGTERM, then hands the rest to {@link RootCleanup}, which also fails
 * the test when a bridge or chain of this root is still on the host.
 */
public final class TestDaemon implements AutoCloseable, BeforeAllCallback, AfterAllCallback, TestExecutionExceptionHandler,
        LifecycleMethodExecutionExceptionHandler {
    /** The docker CLI the tests use: Debian's docker.io client, the one CI installs. */
    public static final Path DOCKER = Path.of("/usr/bin/docker");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(120);
    private static final List<String> PREDEFINED_NETWORKS = List.of("bridge", "host", "none");

    private final List<String> launcher;
    private Path dir;
    private Path root;
    private Path socket;
    private Path log;
    private Path dockerConfig;
    private Process process;

    /** A daemon run from this JVM's classpath (the engine module's own tests). */
    public TestDaemon() {
        this(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--sun-misc-unsafe-memory-access=allow",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), "berth.engine.Daemon"));
    }

    /** A daemon started as {@code launcher --host unix://SOCKET --root ROOT}, e.g. {@code bin/berth daemon}. */
    public TestDaemon(List<String> launcher) {
        this.launcher = List.copyOf(launcher);
    }

    /** Starts a daemon from this JVM's classpath; {@link #close} stops and removes it. */
    public static TestDaemon start() throws IOException, InterruptedException {
        return new TestDaemon().open("a test");
    }

    /** Starts this daemon in a new temporary directory and waits until it answers {@code /_ping}. */
    public TestDaemon open(String owner) throws IOException, InterruptedException {
        if (dir != null) throw new IllegalStateException("this test daemon was started already");
        dir = Files.createTempDirectory("berth-testdaemon-");
        root = dir.resolve("root");
        socket = dir.resolve("berth.sock");
        log = dir.resolve("daemon.log");
        dockerConfig = Files.createDirectories(dir.resolve("docker-config"));
        System.err.println("berth test daemon for " + owner + ": root " + root + ", bridges and chains "
                + Networks.derivePrefix(root) + "*, log " + log);
        try {
            startDaemon();
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            close();
            throw e;
        }
        return this;
    }

    /** {@code unix://} and the daemon's socket: what DOCKER_HOST is set to for clients. */
    public String host() {
        return "unix://" + socket;
    }

    public Path root() {
        return root;
    }

    /** A directory for the test's own files, deleted with the daemon's root. */
    public Path scratch() throws IOException {
        return Files.createDirectories(dir.resolve("scratch"));
    }

    /** The environment that points a docker client at this daemon, with a private (empty) client configuration. */
    public Map<String, String> clientEnv() {
        return Map.of("DOCKER_HOST", host(), "DOCKER_CONFIG", dockerConfig.toString());
    }

    /** Runs {@code docker ARGS} against this daemon with no input. */
    public Command.Result docker(String... args) throws IOException, InterruptedException {
        return docker(null, CLI_TIMEOUT, args);
    }

    /** Runs {@code docker ARGS} with {@code stdin} (null: none), failing the test if it runs longer than {@code timeout}. */
    public Command.Result docker(byte[] stdin, Duration timeout, String... args) throws IOException, InterruptedException {
        if (!Files.isExecutable(DOCKER)) fail(DOCKER + " is needed (Debian's docker.io client) and is missing");
        List<String> command = new ArrayList<>(List.of(DOCKER.toString()));
        command.addAll(List.of(args));
        return Command.run(command, clientEnv(), stdin, timeout);
    }

    /** Runs {@code docker ARGS}, fails the test unless it exits 0, and returns its stdout. */
    public String ok(String... args) throws IOException, InterruptedException {
        return docker(args).ok().out();
    }

    /** Imports the busybox rootfs (see {@link BusyboxRootfs}) as {@code reference}, with {@code CMD ["sh"]}. */
    public void importBusybox(String reference) throws IOException, InterruptedException {
        Path tar = BusyboxRootfs.write(scratch().resolve("busybox-" + System.nanoTime() + ".tar"));
        try {
            ok("import", "-c", "CMD [\"sh\"]", tar.toString(), reference);
        } finally {
            Files.deleteIfExists(tar);
        }
    }

    /** What the daemon has written so far, and its exit status if it is gone (143: SIGTERM, 137: SIGKILL). */
    public String log() {
        String exit = process != null && !process.isAlive() ? "\n(the daemon exited with " + process.exitValue() + ")" : "";
        try {
            return (log != null && Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no daemon log)") + exit;
        } catch (IOException e) {
            return "(daemon log unreadable: " + e.getMessage() + ")" + exit;
        }
    }

    /** Starts the daemon (again, after {@link #stopDaemon}, on the same root) and waits for {@code /_ping}. */
    public void startDaemon() throws IOException, InterruptedException {
        Files.deleteIfExists(socket);
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of("--host", host(), "--root", root.toString()));
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!answers()) {
            if (!process.isAlive()) fail("the berth daemon exited before answering on " + socket + ":\n" + log());
            if (System.nanoTime() > deadline) fail("the berth daemon did not answer on " + socket + " within " + START_TIMEOUT.toSeconds() + " s:\n" + log());
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

    /** Stops the daemon with SIGTERM and waits for it to exit; its containers keep running (live restore). */
    public void stopDaemon() throws InterruptedException {
        if (process == null || !process.isAlive()) return;
        process.destroy();
        if (process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) return;
        process.destroyForcibly().waitFor();
        throw new AssertionError("the berth daemon did not stop within " + STOP_TIMEOUT.toSeconds() + " s of SIGTERM; killed it:\n" + log());
    }

    /** Kills the daemon with SIGKILL (a crash) and waits for it to be gone; {@link #startDaemon} brings it back. */
    public void killDaemon() throws InterruptedException {
        if (process == null || !process.isAlive()) return;
        process.destroyForcibly().waitFor();
    }

    /** Removes what the daemon made through its API, stops it, and cleans the host and the directory. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (dir == null) return;
        List<Throwable> failures = new ArrayList<>();
        if (process != null && process.isAlive()) {
            attempt(failures, () -> removeAll(List.of("ps", "-aq", "--no-trunc"), "rm", "-f", "-v"));
            attempt(failures, () -> removeAll(List.of("volume", "ls", "-q"), "volume", "rm", "-f"));
            attempt(failures, this::removeNetworks);
            attempt(failures, this::stopDaemon);
        }
        String daemonLog = log();
        attempt(failures, () -> new RootCleanup(dir, root).run());
        dir = null;
        if (failures.isEmpty()) return;
        AssertionError error = new AssertionError("cleaning up the test daemon failed; its log:\n" + daemonLog, failures.getFirst());
        failures.stream().skip(1).forEach(error::addSuppressed);
        throw error;
    }

    private void removeAll(List<String> list, String... remove) throws IOException, InterruptedException {
        List<String> ids = docker(list.toArray(String[]::new)).ok().out().lines().filter(l -> !l.isBlank()).toList();
        if (ids.isEmpty()) return;
        List<String> args = new ArrayList<>(List.of(remove));
        args.addAll(ids);
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

    /** An action of the cleanup whose failure must not keep the rest from running. */
    private interface Step {
        void run() throws Exception;
    }

    private static void attempt(List<Throwable> failures, Step step) {
        try {
            step.run();
        } catch (Exception | AssertionError e) {
            failures.add(e);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        open(context.getDisplayName());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        close();
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw withLog(context, throwable);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw withLog(context, throwable);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw withLog(context, throwable);
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw withLog(context, throwable);
    }

    @Override
    public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw withLog(context, throwable);
    }

    private Throwable withLog(ExtensionContext context, Throwable throwable) {
        System.err.println("berth daemon log at the failure of " + context.getDisplayName() + ":\n" + log());
        return throwable;
    }
}
