package berth.image.it;

import berth.image.Reference;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real registry for tests: Debian's {@code docker-registry} (the CNCF distribution registry, v2.8) on
 * 127.0.0.1 at a free port, storing into its own temporary directory, optionally behind htpasswd basic auth.
 * {@link #close()} stops it and deletes the directory.
 */
public final class TestRegistry implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/bin/docker-registry");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Path dir;
    private final int port;
    private final String user;
    private final String password;
    private final Process process;

    private TestRegistry(Path dir, int port, String user, String password, Process process) {
        this.dir = dir;
        this.port = port;
        this.user = user;
        this.password = password;
        this.process = process;
    }

    /** A registry anyone may pull from and push to. */
    public static TestRegistry start() throws IOException {
        return start(null, null);
    }

    /** A registry that requires {@code user}/{@code password} (htpasswd, bcrypt) for every request, if not null. */
    public static TestRegistry start(String user, String password) throws IOException {
        require(BINARY, "docker-registry");
        Path dir = Files.createTempDirectory("berth-registry-");
        try {
            String auth = "";
            if (user != null) {
                require(Path.of("/usr/bin/htpasswd"), "apache2-utils");
                Path htpasswd = dir.resolve("htpasswd");
                Files.writeString(htpasswd, run(dir, "htpasswd", "-Bbn", user, password).strip() + "\n");
                auth = """
                        auth:
                          htpasswd:
                            realm: berth-test
                            path: %s
                        """.formatted(htpasswd);
            }
            // A port picked free can be taken before the registry binds it: try a few.
            IOException last = null;
            for (int attempt = 0; attempt < 3; attempt++) {
                int port = freePort();
                Path config = dir.resolve("config.yml");
                Files.writeString(config, """
                        version: 0.1
                        log:
                          level: info
                          accesslog:
                            disabled: true
                        storage:
                          filesystem:
                            rootdirectory: %s
                          delete:
                            enabled: true
                        http:
                          addr: 127.0.0.1:%d
                          secret: berth-test-secret
                        %s""".formatted(dir.resolve("data"), port, auth));
                Process p = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
                        .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
                TestRegistry r = new TestRegistry(dir, port, user, password, p);
                try {
                    r.awaitReady();
                    return r;
                } catch (IOException e) {
                    last = e;
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            throw last;
        } catch (IOException | RuntimeException e) {
            deleteTree(dir);
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            deleteTree(dir);
            throw new IOException("interrupted", e);
        }
    }

    /** {@code 127.0.0.1:<port>}, the registry's host as references name it. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    /** A reference into this registry, e.g. {@code ref("app:1")} is {@code 127.0.0.1:<port>/app:1}. */
    public Reference ref(String repoAndTag) {
        return Reference.parse(host() + "/" + repoAndTag);
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** The registry's own log (for a failing test's message). */
    public String log() {
        try {
            return Files.readString(dir.resolve("registry.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Pushes {@code layout:tag}, an OCI image layout, to {@code repoAndTag} here with skopeo, an independent client. */
    public void pushOciLayout(Path layout, String tag, String repoAndTag) throws IOException {
        require(Path.of("/usr/bin/skopeo"), "skopeo");
        List<String> cmd = new ArrayList<>(List.of("skopeo", "--insecure-policy", "copy", "--dest-tls-verify=false"));
        if (user != null) cmd.add("--dest-creds=" + user + ":" + password);
        cmd.addAll(List.of("oci:" + layout + ":" + tag, "docker://" + host() + "/" + repoAndTag));
        run(dir, cmd.toArray(String[]::new));
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteTree(dir);
    }

    /** Waits until GET /v2/ answers (200, or 401 behind auth). */
    private void awaitReady() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/"))
                .version(HttpClient.Version.HTTP_1_1).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IOException("docker-registry exited (" + process.exitValue() + "): " + log());
            try {
                int status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200 || status == 401) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IOException("docker-registry did not answer on " + host() + " within " + START_TIMEOUT + ": " + log());
    }

    /** Runs a command in {@code dir}; its stdout, or an IOException with its output if it fails. */
    static String run(Path dir, String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + ": timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + out.strip());
        return out;
    }

    private static void require(Path binary, String debianPackage) {
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(binary + " is missing: apt-get install " + debianPackage);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) return;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("delete " + root, e);
        }
    }
}
