package berth.engine.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Responses, errors, keep-alive and streaming over a real socket, spoken to in raw HTTP. */
@Timeout(60)
class ApiServerTest {
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

    private TestServer start(Router router) throws IOException {
        server = TestServer.start(dir, router);
        return server;
    }

    private static JsonNode json(UnixHttpClient.Response r) throws IOException {
        assertEquals("application/json", r.header("content-type"));
        return JSON.readTree(r.body());
    }

    @Test
    void everyResponseCarriesTheApiHeaders() throws Exception {
        CountDownLatch streamed = new CountDownLatch(1);
        start(new Router()
                .on("GET", "/_ping", ex -> ex.bytes(200, "text/plain; charset=utf-8", "OK".getBytes()))
                .on("POST", "/containers/{id}/start", ex -> ex.status(204))
                .on("GET", "/events", ex -> {
                    try (OutputStream out = ex.stream(200, "application/json")) {
                        out.write("{}\n".getBytes());
                    }
                    streamed.countDown();
                })
                .on("GET", "/boom", ex -> {
                    throw new IllegalStateException("boom");
                }));
        try (UnixHttpClient c = server.connect()) {
            for (String[] req : new String[][] {{"GET", "/_ping"}, {"HEAD", "/_ping"}, {"GET", "/v1.41/_ping"},
                    {"POST", "/containers/x/start"}, {"GET", "/events"}, {"GET", "/nowhere"},
                    {"GET", "/v1.99/_ping"}, {"GET", "/boom"}}) {
                UnixHttpClient.Response r = c.exchange(req[0], req[1]);
                TestServer.assertApiHeaders(r);
            }
        }
        assertTrue(streamed.await(5, TimeUnit.SECONDS));
    }

    @Test
    void errorsAreJsonMessages() throws Exception {
        start(new Router()
                .on("GET", "/conflict", ex -> {
                    throw new ApiException(409, "Conflict. The container name \"/web\" is already in use");
                })
                .on("GET", "/containers/{id}/json", ex -> {
                    throw new NoSuchElementException("No such container: " + ex.param("id"));
                })
                .on("GET", "/bug", ex -> {
                    throw new IllegalStateException("handler bug on purpose");
                })
                .on("GET", "/int", ex -> ex.json(200, Map.of("t", ex.queryInt("t", 10))))
                .on("POST", "/json", ex -> ex.json(200, ex.jsonBody())));
        try (UnixHttpClient c = server.connect()) {
            UnixHttpClient.Response r = c.exchange("GET", "/nowhere");
            assertEquals(404, r.status());
            assertEquals("page not found", json(r).get("message").asText());
            assertEquals(1, json(r).size());

            r = c.exchange("POST", "/int"); // known path, wrong method: dockerd answers 404 as well
            assertEquals(404, r.status());
            assertEquals("page not found", json(r).get("message").asText());

            r = c.exchange("GET", "/v1.99/int");
            assertEquals(400, r.status());
            assertEquals("client version 1.99 is too new. Maximum supported API version is 1.44",
                    json(r).get("message").asText());

            r = c.exchange("GET", "/v1.23/int");
            assertEquals(400, r.status());
            assertTrue(json(r).get("message").asText().startsWith("client version 1.23 is too old."));

            r = c.exchange("GET", "/conflict");
            assertEquals(409, r.status());
            assertEquals("Conflict. The container name \"/web\" is already in use", json(r).get("message").asText());

            r = c.exchange("GET", "/v1.41/containers/web/json");
            assertEquals(404, r.status());
            assertEquals("No such container: web", json(r).get("message").asText());

            r = c.exchange("GET", "/bug");
            assertEquals(500, r.status());
            assertEquals("handler bug on purpose", json(r).get("message").asText());

            r = c.exchange("GET", "/int?t=junk");
            assertEquals(400, r.status());
            assertTrue(json(r).get("message").asText().contains("t"));

            c.send("POST /json HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\n{\"a\": 1,}");
            r = c.read(false);
            assertEquals(400, r.status());
            assertTrue(json(r).get("message").asText().startsWith("invalid JSON"), r.text());

            c.send("POST /json HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
            assertEquals("{}", c.read(false).text(), "an empty body reads as an empty object");
        }
    }

    @Test
    void malformedRequestsAreBadRequests() throws Exception {
        start(new Router().on("GET", "/containers/{id}/json", ex -> ex.json(200, Map.of())));
        try (UnixHttpClient c = server.connect()) {
            UnixHttpClient.Response r = c.exchange("GET", "/containers/%zz/json?all=%");
            assertEquals(400, r.status());
            assertTrue(json(r).get("message").asText().startsWith("malformed request URI"), r.text());
            assertEquals(200, c.exchange("GET", "/containers/ok/json").status(), "the connection goes on");
        }
        try (UnixHttpClient c = server.connect()) {
            c.send("GET /containers/x/json HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n");
            UnixHttpClient.Response r = c.read(false);
            assertEquals(400, r.status());
            TestServer.assertApiHeaders(r);
            assertTrue(json(r).get("message").asText().startsWith("malformed request"), r.text());
            assertEquals(-1, c.in().read(), "the server closes a connection it cannot parse");
        }
    }

    @Test
    void versionedAndPlainPathsReachTheSameRoute() throws Exception {
        start(new Router().on("GET", "/containers/{id}/json", ex -> ex.json(200, Map.of(
                "version", ex.apiVersion(), "path", ex.path(), "id", ex.param("id"),
                "atLeast142", ex.versionAtLeast("1.42"), "all", ex.queryBool("all", false),
                "filters", ex.queryAll("f"), "agent", String.valueOf(ex.header("user-agent"))))));
        try (UnixHttpClient c = server.connect()) {
            JsonNode v = json(c.exchange("GET", "/v1.41/containers/a%20b/json?all=1&f=x&f=y%3Dz"));
            assertEquals("1.41", v.get("version").asText());
            assertEquals("/containers/a b/json", v.get("path").asText());
            assertEquals("a b", v.get("id").asText());
            assertFalse(v.get("atLeast142").asBoolean());
            assertTrue(v.get("all").asBoolean());
            assertEquals(List.of("x", "y=z"), List.of(v.get("filters").get(0).asText(), v.get("filters").get(1).asText()));

            c.send("GET /containers/c/json HTTP/1.1\r\nHost: %2Fvar%2Frun%2Fdocker.sock\r\nUser-Agent: Docker-Client/28\r\n\r\n");
            v = json(c.read(false));
            assertEquals("1.44", v.get("version").asText());
            assertTrue(v.get("atLeast142").asBoolean());
            assertEquals("Docker-Client/28", v.get("agent").asText());
        }
    }

    @Test
    void keepAliveAndPipelinedRequestsAreAnsweredInOrder() throws Exception {
        start(new Router().on("GET", "/echo/{n}", ex -> {
            int n = Integer.parseInt(ex.param("n"));
            Thread.sleep(n == 1 ? 300 : 0); // the first answer is the slowest
            ex.json(200, Map.of("n", n));
        }));
        try (UnixHttpClient c = server.connect()) {
            assertEquals(0, json(c.exchange("GET", "/echo/0")).get("n").asInt());
            assertEquals(5, json(c.exchange("GET", "/echo/5")).get("n").asInt());
            StringBuilder pipelined = new StringBuilder();
            for (int i = 1; i <= 3; i++) {
                pipelined.append("GET /echo/").append(i).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
            }
            c.send(pipelined.toString());
            for (int i = 1; i <= 3; i++) {
                assertEquals(i, json(c.read(false)).get("n").asInt());
            }
        }
    }

    @Test
    void connectionCloseIsHonoured() throws Exception {
        start(new Router().on("GET", "/x", ex -> ex.json(200, Map.of())));
        try (UnixHttpClient c = server.connect()) {
            c.send("GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            UnixHttpClient.Response r = c.read(false);
            assertEquals("close", r.header("connection"));
            assertEquals(-1, c.in().read(), "the server closes the connection");
        }
    }

    @Test
    void headResponsesHaveNoBody() throws Exception {
        start(new Router()
                .on("GET", "/info", ex -> ex.json(200, Map.of("OSType", "linux")))
                .on("GET", "/logs", ex -> {
                    try (OutputStream out = ex.stream(200, "application/octet-stream")) {
                        out.write(new byte[100_000]);
                    }
                })
                .on("GET", "/after", ex -> ex.json(200, Map.of("ok", true))));
        try (UnixHttpClient c = server.connect()) {
            c.send("HEAD /info HTTP/1.1\r\nHost: x\r\n\r\nHEAD /logs HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /after HTTP/1.1\r\nHost: x\r\n\r\n");
            UnixHttpClient.Response info = c.read(true);
            assertEquals(200, info.status());
            assertEquals(String.valueOf("{\"OSType\":\"linux\"}".length()), info.header("content-length"));
            UnixHttpClient.Response logs = c.read(true);
            assertEquals(200, logs.status());
            assertNull(logs.header("transfer-encoding"));
            // had either HEAD answer carried body bytes, this would not parse as the next response
            UnixHttpClient.Response after = c.read(false);
            assertEquals(200, after.status());
            assertEquals("{\"ok\":true}", after.text());
        }
    }

    @Test
    void everyFlushReachesTheClientBeforeTheStreamEnds() throws Exception {
        CountDownLatch firstSeen = new CountDownLatch(1);
        start(new Router().on("POST", "/containers/{id}/wait", ex -> {
            try (OutputStream out = ex.stream(200, "application/json")) {
                out.flush(); // docker run blocks on the headers before it starts the container
                firstSeen.await();
                out.write("{\"StatusCode\":0}\n".getBytes());
                out.flush();
                firstSeen.await();
            }
        }));
        try (UnixHttpClient c = server.connect()) {
            c.send("POST /v1.44/containers/x/wait?condition=next-exit HTTP/1.1\r\nHost: x\r\n\r\n");
            UnixHttpClient.Head head = c.readHead();
            assertEquals(200, head.status());
            assertEquals("chunked", head.header("transfer-encoding"));
            firstSeen.countDown();
            assertEquals("{\"StatusCode\":0}\n", new String(c.readChunk(), StandardCharsets.UTF_8));
            assertNull(c.readChunk());
        }
    }

    @Test
    void anErrorAfterTheStreamStartedEndsTheStream() throws Exception {
        start(new Router()
                .on("POST", "/images/create", ex -> {
                    OutputStream out = ex.stream(200, "application/json");
                    out.write("{\"status\":\"Pulling\"}\n".getBytes());
                    out.flush();
                    throw new IllegalStateException("registry went away");
                })
                .on("GET", "/_ping", ex -> ex.bytes(200, "text/plain", "OK".getBytes())));
        try (UnixHttpClient c = server.connect()) {
            c.send("POST /images/create?fromImage=x HTTP/1.1\r\nHost: x\r\n\r\n");
            UnixHttpClient.Response r = c.read(false);
            assertEquals(200, r.status());
            assertEquals("{\"status\":\"Pulling\"}\n", r.text());
            assertEquals("OK", c.exchange("GET", "/_ping").text(), "the connection stays usable");
        }
    }

    @Test
    void largeStreamedResponsesArriveWhole() throws Exception {
        int size = 64 << 20;
        start(new Router().on("GET", "/images/get", ex -> {
            byte[] block = new byte[65_536];
            try (OutputStream out = ex.stream(200, "application/x-tar")) {
                for (int sent = 0; sent < size; sent += block.length) {
                    block[0] = (byte) (sent >>> 16);
                    out.write(block);
                }
            }
        }));
        try (UnixHttpClient c = server.connect()) {
            c.send("GET /images/get HTTP/1.1\r\nHost: x\r\n\r\n");
            UnixHttpClient.Head head = c.readHead();
            long total = 0;
            for (byte[] chunk = c.readChunk(); chunk != null; chunk = c.readChunk()) {
                total += chunk.length;
            }
            assertEquals(size, total);
            assertEquals(200, head.status());
        }
    }

    @Test
    void socketFileModeReplacementAndRemoval() throws Exception {
        Path socket = dir.resolve("deep").resolve("dir").resolve("berth.sock");
        Files.createDirectories(socket.getParent());
        try (ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            stale.bind(UnixDomainSocketAddress.of(socket)); // a socket file left by a dead daemon
        }
        assertTrue(Files.exists(socket));
        try (ApiServer api = ApiServer.start(socket, new Router().on("GET", "/_ping",
                ex -> ex.bytes(200, "text/plain", "OK".getBytes())), TestServer.ERRORS)) {
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            try (UnixHttpClient c = UnixHttpClient.connect(socket)) {
                assertArrayEquals("OK".getBytes(), c.exchange("GET", "/_ping").body());
            }
            assertEquals(socket, api.socket());
        }
        assertFalse(Files.exists(socket), "close removes the socket file");

        Path regular = Files.writeString(dir.resolve("not-a-socket"), "data");
        IOException e = assertThrows(IOException.class, () -> ApiServer.start(regular, new Router(), TestServer.ERRORS));
        assertTrue(e.getMessage().contains("not a socket"), e.getMessage());
        assertEquals("data", Files.readString(regular));
    }
}
