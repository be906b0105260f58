package berth.engine.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Connections taken over for raw bytes, as attach and exec start use them. */
@Timeout(60)
class HijackTest {
    private static final String RAW = "application/vnd.docker.raw-stream";

    @TempDir
    Path dir;
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Echoes every read until the client half-closes, then says goodbye and half-closes too. */
    private static final Handler ECHO = ex -> {
        try (Hijacked h = ex.hijack(RAW)) {
            InputStream in = h.in();
            OutputStream out = h.out();
            byte[] buf = new byte[4096];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                out.write(buf, 0, n);
                out.flush();
            }
            Thread.sleep(100); // output after the client's half-close still arrives
            out.write("bye".getBytes(StandardCharsets.UTF_8));
            h.closeOutput();
        }
    };

    private static String read(InputStream in, int n) throws Exception {
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    @Test
    void upgradedConnectionEchoesAndSurvivesTheClientsHalfClose() throws Exception {
        server = TestServer.start(dir, new Router().on("POST", "/containers/{id}/attach", ECHO));
        try (UnixHttpClient c = server.connect()) {
            // bytes right behind the request, in the same write, are stream data already
            c.send("POST /v1.44/containers/web/attach?stream=1&stdin=1&stdout=1 HTTP/1.1\r\nHost: api.moby.localhost\r\n"
                    + "Content-Type: text/plain\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\nearly ");
            UnixHttpClient.Head head = c.readHead();
            assertEquals(101, head.status());
            assertEquals("UPGRADED", head.reason());
            assertEquals(RAW, head.header("content-type"));
            assertEquals("Upgrade", head.header("connection"));
            assertEquals("tcp", head.header("upgrade"));
            TestServer.assertApiHeaders(head);
            assertEquals("early ", read(c.in(), 6));
            c.send("hello");
            assertEquals("hello", read(c.in(), 5));
            c.send("GET / HTTP/1.1\r\n\r\n"); // looks like HTTP, but it is data now
            assertEquals("GET / HTTP/1.1\r\n\r\n", read(c.in(), 18));
            c.shutdownOutput();
            assertEquals("bye", new String(c.in().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void upgradeRequestAnsweredNormallyKeepsTheConnectionHttp() throws Exception {
        server = TestServer.start(dir, new Router()
                .on("POST", "/containers/{id}/attach", ex -> {
                    throw new ApiException(404, "No such container: " + ex.param("id"));
                })
                .on("GET", "/_ping", ex -> ex.bytes(200, "text/plain", "OK".getBytes())));
        try (UnixHttpClient c = server.connect()) {
            c.send("POST /containers/nope/attach HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"
                    + "GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n");
            UnixHttpClient.Response r = c.read(false);
            assertEquals(404, r.status());
            assertEquals("{\"message\":\"No such container: nope\"}", r.text());
            assertEquals("OK", c.read(false).text());
        }
    }

    @Test
    void withoutUpgradeTheRawStreamRunsUntilTheConnectionCloses() throws Exception {
        AtomicReference<JsonNode> request = new AtomicReference<>();
        server = TestServer.start(dir, new Router().on("POST", "/exec/{id}/start", ex -> {
            request.set(ex.jsonBody());
            Hijacked h = ex.hijack(RAW);
            assertEquals(-1, h.in().read(), "the request body was read already");
            h.out().write("line 1\n".getBytes());
            h.out().flush();
            h.out().write("line 2\n".getBytes());
            // returning closes the connection and sends what is buffered
        }));
        try (UnixHttpClient c = server.connect()) {
            String body = "{\"Detach\":false,\"Tty\":false}";
            c.send("POST /v1.41/exec/e1/start HTTP/1.1\r\nHost: docker.socket\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body);
            UnixHttpClient.Head head = c.readHead();
            assertEquals(200, head.status());
            assertEquals(RAW, head.header("content-type"));
            TestServer.assertApiHeaders(head);
            assertEquals("line 1\nline 2\n", new String(c.in().readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals(false, request.get().get("Tty").asBoolean(true));
    }

    @Test
    void hijackedInputEndsWhenTheClientDisconnects() throws Exception {
        CountDownLatch ended = new CountDownLatch(1);
        server = TestServer.start(dir, new Router().on("POST", "/containers/{id}/attach", ex -> {
            try (Hijacked h = ex.hijack(RAW)) {
                h.in().readAllBytes();
                ended.countDown();
            }
        }));
        UnixHttpClient c = server.connect();
        c.send("POST /containers/x/attach HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n");
        assertEquals(101, c.readHead().status());
        c.close();
        assertTrue(ended.await(5, TimeUnit.SECONDS));
    }
}
