package berth.cli;

import berth.cli.client.ApiClient;
import berth.cli.client.StubDaemon;
import berth.cli.client.UnixHttpTransport;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code run} against a stub daemon: the docker CLI's order of requests, streams, and the exit status. */
class RunSequenceTest {
    private static final String ID = "c0ffee";

    /** Answers create, attach (frames written once start arrived), wait (head at once, status at exit) and start. */
    private static StubDaemon daemon(CountDownLatch started, boolean imageMissing) throws IOException {
        boolean[] pulled = {!imageMissing};
        return new StubDaemon((req, in, out, ch) -> {
            String path = req.target().replaceFirst("^/v1\\.44", "").replaceFirst("\\?.*", "");
            switch (path) {
                case "/_ping" -> StubDaemon.respond(out, 200, "OK", Map.of("Api-Version", "1.44"));
                case "/containers/create" -> {
                    if (!pulled[0]) StubDaemon.respond(out, 404, "{\"message\":\"No such image: busybox:latest\"}", Map.of());
                    else StubDaemon.respond(out, 201, "{\"Id\":\"" + ID + "\",\"Warnings\":[\"careful\"]}", Map.of());
                }
                case "/images/create" -> {
                    pulled[0] = true;
                    StubDaemon.respond(out, 200, "{\"status\":\"Pulling from library/busybox\",\"id\":\"latest\"}\n{\"status\":\"Status: Downloaded newer image for busybox:latest\"}\n", Map.of());
                }
                case "/containers/" + ID + "/attach" -> {
                    out.write("HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    await(started);
                    byte[] stdin = req.target().contains("stdin=1") ? in.readAllBytes() : new byte[0];
                    out.write(frame(1, "got " + new String(stdin, StandardCharsets.UTF_8)));
                    out.write(frame(2, "warn\n"));
                    out.flush();
                }
                case "/containers/" + ID + "/wait" -> {
                    out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    await(started);
                    String body = "{\"StatusCode\":7,\"Error\":null}";
                    out.write((Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                case "/containers/" + ID + "/start" -> {
                    StubDaemon.respond(out, 204, "", Map.of());
                    started.countDown();
                }
                default -> StubDaemon.respond(out, 404, "{\"message\":\"unexpected " + path + "\"}", Map.of());
            }
        });
    }

    private static void await(CountDownLatch l) throws IOException {
        try {
            if (!l.await(10, TimeUnit.SECONDS)) throw new IOException("start never came");
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }

    static byte[] frame(int stream, String payload) {
        byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        byte[] f = new byte[8 + p.length];
        f[0] = (byte) stream;
        f[7] = (byte) p.length;
        System.arraycopy(p, 0, f, 8, p.length);
        return f;
    }

    private record Outcome(int status, String out, String err) {}

    private static Outcome berth(StubDaemon d, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        String[] argv = new String[args.length + 2];
        argv[0] = "-H";
        argv[1] = "unix://" + d.socket();
        System.arraycopy(args, 0, argv, 2, args.length);
        int status = new Main(new PrintStream(out, true), new PrintStream(err, true),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), Map.of()).execute(argv);
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void runCreatesAttachesWaitsStartsStreamsAndExitsWithTheContainersStatus() throws IOException {
        try (StubDaemon d = daemon(new CountDownLatch(1), false)) {
            Outcome o = berth(d, "input", "run", "-i", "--sig-proxy=false", "busybox", "cat");
            assertEquals(7, o.status(), o.err());
            assertEquals("got input", o.out());
            assertEquals("WARNING: careful\nwarn\n", o.err());
            List<String> order = d.requests.stream().map(r -> r.method() + " " + r.target().replaceFirst("\\?.*", "")).toList();
            assertEquals(List.of("GET /_ping", "POST /v1.44/containers/create", "POST /v1.44/containers/c0ffee/attach",
                    "POST /v1.44/containers/c0ffee/wait", "POST /v1.44/containers/c0ffee/start"), order);
            assertTrue(d.requests.get(2).target().endsWith("?stream=1&stdin=1&stdout=1&stderr=1"), d.requests.get(2).target());
            assertTrue(d.requests.get(3).target().endsWith("?condition=next-exit"), d.requests.get(3).target());
        }
    }

    @Test
    void aMissingImageIsPulledWithProgressOnStderr() throws IOException {
        try (StubDaemon d = daemon(new CountDownLatch(1), true)) {
            Outcome o = berth(d, "", "run", "--rm", "--sig-proxy=false", "busybox");
            assertEquals(7, o.status(), o.err());
            assertTrue(o.err().startsWith("Unable to find image 'busybox:latest' locally\nlatest: Pulling from library/busybox\n"
                    + "Status: Downloaded newer image for busybox:latest\n"), o.err());
            StubDaemon.Request pull = d.requests.stream().filter(r -> r.target().contains("/images/create")).findFirst().orElseThrow();
            assertTrue(pull.target().endsWith("/images/create?fromImage=busybox&tag=latest"), pull.target());
            assertTrue(pull.headers().containsKey("X-Registry-Auth"));
            assertTrue(d.requests.stream().anyMatch(r -> r.target().endsWith("/wait?condition=removed")));
        }
    }

    @Test
    void ctrlPCtrlQDetachesAndIsNotSent() throws Exception {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        CountDownLatch gotAll = new CountDownLatch(1);
        StubDaemon.Handler h = (req, in, out, ch) -> {
            if (req.target().equals("/_ping")) {
                StubDaemon.respond(out, 200, "OK", Map.of("Api-Version", "1.44"));
                return;
            }
            out.write("HTTP/1.1 101 UPGRADED\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            in.transferTo(received);
            gotAll.countDown();
        };
        try (StubDaemon d = new StubDaemon(h)) {
            ApiClient api = new ApiClient(new UnixHttpTransport(d.socket()), "unix://" + d.socket());
            UnixHttpTransport.Upgraded u = api.upgrade("POST", "/containers/x/attach", null, null);
            InputStream keys = new ByteArrayInputStream(new byte[] {'a', 'b', 0x10, 'x', 0x10, 0x11, 'c', 'd'});
            OutputStream sink = OutputStream.nullOutputStream();
            Main m = new Main(new PrintStream(sink), new PrintStream(sink), keys, Map.of());
            assertTrue(new AttachSession(m, true, true).run(u), "detached");
            assertTrue(gotAll.await(10, TimeUnit.SECONDS));
            assertEquals("ab\u0010x", received.toString(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void usageAndDaemonErrorsAreOneLine() throws IOException {
        try (StubDaemon d = new StubDaemon((req, in, out, ch) -> {
            if (req.target().equals("/_ping")) StubDaemon.respond(out, 200, "OK", Map.of("Api-Version", "1.41"));
            else StubDaemon.respond(out, 409, "{\"message\":\"Conflict. The container name \\\"/x\\\" is already in use\"}", Map.of());
        })) {
            Outcome usage = berth(d, "", "ps", "--bogus");
            assertEquals(125, usage.status());
            assertEquals("berth: unknown flag: --bogus (see 'berth ps --help')\n", usage.err());
            Outcome conflict = berth(d, "", "run", "--name", "x", "busybox");
            assertEquals(125, conflict.status());
            assertEquals("berth: Error response from daemon: Conflict. The container name \"/x\" is already in use\n", conflict.err());
            Outcome rm = berth(d, "", "rm", "x");
            assertEquals(1, rm.status());
            assertEquals("Error response from daemon: Conflict. The container name \"/x\" is already in use\n", rm.err());
        }
    }
}
