package berth.engine.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** curl and the docker CLI against the server, as users' tools will talk to it. */
@Timeout(120)
class RealClientsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Tools.Result curl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--unix-socket", server.socket.toString()));
        command.addAll(List.of(args));
        Tools.Result r = Tools.run(command, Map.of());
        assertEquals(0, r.exit(), "curl " + String.join(" ", args) + ": " + r.err());
        return r;
    }

    @Test
    void curlGetHeadPostAndChunkedUpload() throws Exception {
        server = TestServer.start(dir, new Router()
                .on("GET", "/_ping", ex -> ex.bytes(200, "text/plain; charset=utf-8", "OK".getBytes()))
                .on("GET", "/info", ex -> ex.json(200, Map.of("OSType", "linux", "version", ex.apiVersion())))
                .on("POST", "/containers/create", ex -> ex.json(201, Map.of(
                        "Id", ex.query("name"), "Image", ex.jsonBody().get("Image").asText())))
                .on("POST", "/build", ex -> {
                    MessageDigest sha = MessageDigest.getInstance("SHA-256");
                    long count = 0;
                    byte[] buf = new byte[65_536];
                    InputStream body = ex.body();
                    for (int n = body.read(buf); n >= 0; n = body.read(buf)) {
                        sha.update(buf, 0, n);
                        count += n;
                    }
                    ex.json(200, Map.of("count", count, "sha256", HexFormat.of().formatHex(sha.digest()),
                            "encoding", String.valueOf(ex.header("transfer-encoding"))));
                }));

        assertEquals("OK", curl("http://localhost/_ping").out());

        JsonNode info = JSON.readTree(curl("http://localhost/v1.41/info").out());
        assertEquals("linux", info.get("OSType").asText());
        assertEquals("1.41", info.get("version").asText());

        String head = curl("-I", "http://localhost/_ping").out();
        assertTrue(head.startsWith("HTTP/1.1 200"), head);
        assertTrue(head.contains("Api-Version: 1.44"), head);
        assertTrue(head.contains("Ostype: linux"), head);

        Tools.Result created = curl("-X", "POST", "-H", "Content-Type: application/json", "-d", "{\"Image\":\"alpine\"}",
                "-w", "\n%{http_code}", "http://localhost/v1.44/containers/create?name=web");
        String[] lines = created.out().split("\n");
        assertEquals("201", lines[1]);
        assertEquals("web", JSON.readTree(lines[0]).get("Id").asText());
        assertEquals("alpine", JSON.readTree(lines[0]).get("Image").asText());

        byte[] context = new byte[24 << 20];
        new Random(42).nextBytes(context);
        Path file = Files.write(dir.resolve("context.tar"), context);
        long started = System.nanoTime();
        JsonNode built = JSON.readTree(curl("-X", "POST", "-H", "Transfer-Encoding: chunked",
                "-H", "Content-Type: application/x-tar", "--data-binary", "@" + file, "http://localhost/build?t=x").out());
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(context.length, built.get("count").asLong());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(context)),
                built.get("sha256").asText());
        assertEquals("chunked", built.get("encoding").asText());
        // curl waits a second for "100 Continue" when it asked for it and gets nothing
        assertTrue(millis < 1000, "the upload took " + millis + " ms");
    }

    @Test
    void dockerVersionPrintsTheServer() throws Exception {
        Map<String, Object> engine = Map.of("Name", "Engine", "Version", "0.1.0-test",
                "Details", Map.of("ApiVersion", "1.44", "MinAPIVersion", "1.24", "GitCommit", "abc1234",
                        "GoVersion", "java25", "Os", "linux", "Arch", "amd64", "KernelVersion", "6.1.0",
                        "Experimental", "false", "BuildTime", "2025-01-01T00:00:00.000000000+00:00"));
        Map<String, Object> version = Map.ofEntries(
                Map.entry("Platform", Map.of("Name", "berth")), Map.entry("Components", List.of(engine)),
                Map.entry("Version", "0.1.0-test"), Map.entry("ApiVersion", "1.44"),
                Map.entry("MinAPIVersion", "1.24"), Map.entry("GitCommit", "abc1234"),
                Map.entry("GoVersion", "java25"), Map.entry("Os", "linux"), Map.entry("Arch", "amd64"),
                Map.entry("KernelVersion", "6.1.0"), Map.entry("BuildTime", "2025-01-01T00:00:00.000000000+00:00"));
        server = TestServer.start(dir, new Router()
                .on("GET", "/_ping", ex -> ex.bytes(200, "text/plain; charset=utf-8", "OK".getBytes()))
                .on("HEAD", "/_ping", ex -> ex.bytes(200, "text/plain; charset=utf-8", new byte[0]))
                .on("GET", "/version", ex -> ex.json(200, version)));
        Path config = Files.createDirectories(dir.resolve("docker-config"));
        Tools.Result r = Tools.run(List.of("docker", "version"),
                Map.of("DOCKER_HOST", "unix://" + server.socket, "DOCKER_CONFIG", config.toString()));
        assertEquals(0, r.exit(), r.out() + r.err());
        String out = r.out();
        assertTrue(out.contains("Server: berth"), out);
        assertTrue(out.matches("(?s).*Engine:\\s+Version:\\s+0\\.1\\.0-test.*"), out);
        assertTrue(out.matches("(?s).*API version:\\s+1\\.44 \\(minimum version 1\\.24\\).*"), out);
        assertTrue(out.matches("(?s).*OS/Arch:\\s+linux/amd64.*"), out);
    }

    @Test
    void dockerRunStreamsOutputThroughAHijackedAttachAndGetsTheExitCode() throws Exception {
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch exited = new java.util.concurrent.CountDownLatch(1);
        byte[] payload = "hello from berth\n".getBytes();
        server = TestServer.start(dir, new Router()
                .on("HEAD", "/_ping", ex -> ex.bytes(200, "text/plain; charset=utf-8", new byte[0]))
                .on("GET", "/_ping", ex -> ex.bytes(200, "text/plain; charset=utf-8", "OK".getBytes()))
                .on("POST", "/containers/create", ex -> ex.json(201, Map.of("Id", "c0ffee", "Warnings", List.of())))
                .on("POST", "/containers/{id}/attach", ex -> {
                    try (Hijacked h = ex.hijack("application/vnd.docker.multiplexed-stream")) {
                        started.await();
                        byte[] frame = new byte[8 + payload.length];
                        frame[0] = 1;
                        frame[7] = (byte) payload.length;
                        System.arraycopy(payload, 0, frame, 8, payload.length);
                        h.out().write(frame);
                        h.closeOutput();
                        exited.countDown();
                        h.in().readAllBytes(); // until the client is done with its side
                    }
                })
                .on("POST", "/containers/{id}/wait", ex -> {
                    try (java.io.OutputStream out = ex.stream(200, "application/json")) {
                        out.flush();
                        exited.await();
                        out.write("{\"Error\":null,\"StatusCode\":3}\n".getBytes());
                    }
                })
                .on("POST", "/containers/{id}/start", ex -> {
                    started.countDown();
                    ex.status(204);
                }));
        Path config = Files.createDirectories(dir.resolve("docker-config"));
        Tools.Result r = Tools.run(List.of("docker", "run", "alpine", "echo", "hello"),
                Map.of("DOCKER_HOST", "unix://" + server.socket, "DOCKER_CONFIG", config.toString()));
        assertEquals("hello from berth\n", r.out(), r.err());
        assertEquals(3, r.exit(), r.err());
    }
}
