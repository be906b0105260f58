package berth.cli.client;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnixHttpTransportTest {

    @Test
    void sendsTheHeadAndAKnownLengthBody() throws IOException {
        try (StubDaemon d = new StubDaemon(StubDaemon.json(201, "{\"Id\":\"abc\"}", null))) {
            HttpRequest req = HttpRequest.of("POST", "/v1.44/containers/create?name=x")
                    .withHeader("X-Registry-Auth", "e30=").withBody(HttpRequest.Body.bytes("{\"Image\":\"busybox\"}".getBytes(), "application/json"));
            try (HttpResponse r = new UnixHttpTransport(d.socket()).send(req)) {
                assertEquals(201, r.status());
                assertEquals("{\"Id\":\"abc\"}", r.bodyString());
            }
            StubDaemon.Request seen = d.requests.getFirst();
            assertEquals("POST", seen.method());
            assertEquals("/v1.44/containers/create?name=x", seen.target());
            assertEquals("docker", seen.headers().get("Host"));
            assertEquals("e30=", seen.headers().get("X-Registry-Auth"));
            assertEquals("application/json", seen.headers().get("Content-Type"));
            assertEquals("{\"Image\":\"busybox\"}", seen.bodyText());
        }
    }

    @Test
    void aStreamOfUnknownLengthGoesChunked() throws IOException {
        byte[] payload = new byte[300_000];
        new Random(7).nextBytes(payload);
        try (StubDaemon d = new StubDaemon(StubDaemon.json(200, "{}", null))) {
            HttpRequest req = HttpRequest.of("PUT", "/archive").withBody(HttpRequest.Body.stream(new ByteArrayInputStream(payload), "application/x-tar"));
            try (HttpResponse r = new UnixHttpTransport(d.socket()).send(req)) {
                assertEquals(200, r.status());
            }
            assertEquals("chunked", d.requests.getFirst().headers().get("Transfer-Encoding"));
            assertArrayEquals(payload, d.requests.getFirst().body());
        }
    }

    @Test
    void anAnswerBeforeTheBodyIsReadIsStillReturned() throws IOException {
        StubDaemon.Handler refuse = (req, in, out, ch) -> StubDaemon.respond(out, 400, "{\"message\":\"not a tar\"}", Map.of());
        try (StubDaemon d = new StubDaemon(refuse, false)) {
            InputStream endless = new InputStream() {
                public int read() {
                    return 'x';
                }

                public int read(byte[] b, int off, int len) {
                    java.util.Arrays.fill(b, off, off + len, (byte) 'x');
                    return len;
                }
            };
            HttpRequest req = HttpRequest.of("POST", "/images/load").withBody(HttpRequest.Body.stream(endless, "application/x-tar"));
            try (HttpResponse r = new UnixHttpTransport(d.socket()).send(req)) {
                assertEquals(400, r.status());
                assertEquals("{\"message\":\"not a tar\"}", r.bodyString());
            }
        }
    }

    @Test
    void upgradeCarriesRawBytesBothWaysWithHalfClose() throws Exception {
        StubDaemon.Handler echo = (req, in, out, ch) -> {
            out.write("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.write("ready\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] input = in.readAllBytes(); // to the client's half-close
            out.write(("got " + new String(input, StandardCharsets.US_ASCII) + " then EOF\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        };
        try (StubDaemon d = new StubDaemon(echo)) {
            UnixHttpTransport.Upgraded u = new UnixHttpTransport(d.socket()).upgrade(HttpRequest.of("POST", "/containers/x/attach?stream=1"));
            assertEquals(101, u.response().status());
            assertEquals("Upgrade", d.requests.getFirst().headers().get("Connection"));
            assertEquals("tcp", d.requests.getFirst().headers().get("Upgrade"));
            InputStream from = u.response().body();
            assertEquals("ready\n", new String(from.readNBytes(6), StandardCharsets.US_ASCII));
            OutputStream to = u.output();
            to.write("abc".getBytes(StandardCharsets.US_ASCII));
            to.flush();
            u.connection().shutdownOutput();
            assertEquals("got abc then EOF\n", new String(from.readAllBytes(), StandardCharsets.US_ASCII));
            u.connection().close();
        }
    }

    @Test
    void nothingListeningIsAConnectException() {
        UnixHttpTransport t = new UnixHttpTransport(java.nio.file.Path.of("/nonexistent/berth-test.sock"));
        java.net.ConnectException e = assertThrows(java.net.ConnectException.class, () -> t.send(HttpRequest.of("GET", "/_ping")));
        assertTrue(e.getMessage().startsWith("connect /nonexistent/berth-test.sock: "), e.getMessage());
    }
}
