package berth.cli.client;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * HTTP/1.1 over a unix socket, one connection per request (a command makes few requests, and a connection
 * to a local socket costs microseconds). Request bodies of unknown length go chunked. If the daemon answers
 * before it has read the whole body (an error, typically), its answer is returned, not the broken pipe.
 */
public final class UnixHttpTransport {
    private static final String USER_AGENT = "berth-cli/0.1.0";

    private final Path socket;

    public UnixHttpTransport(Path socket) {
        this.socket = socket;
    }

    public Path socket() {
        return socket;
    }

    /** Sends the request and reads the response head; the caller reads and closes the body. */
    public HttpResponse send(HttpRequest request) throws IOException {
        return exchange(request, false).response();
    }

    /**
     * Sends the request asking for {@code Upgrade: tcp} (attach, exec start). On {@code 101} (or a plain
     * {@code 200}, as old daemons answer) the returned stream carries raw bytes both ways.
     */
    public Upgraded upgrade(HttpRequest request) throws IOException {
        return exchange(request.withHeader("Connection", "Upgrade").withHeader("Upgrade", "tcp"), true);
    }

    /** A response and, for an upgrade, the connection to write into (and half-close). */
    public record Upgraded(HttpResponse response, UnixConnection connection) {
        public OutputStream output() {
            return connection.output();
        }
    }

    private Upgraded exchange(HttpRequest request, boolean upgrade) throws IOException {
        UnixConnection conn = UnixConnection.open(socket);
        try {
            OutputStream raw = conn.output();
            BufferedOutputStream out = new BufferedOutputStream(raw, 16 * 1024);
            IOException writeFailure = null;
            try {
                writeHead(out, request, upgrade);
                if (request.body() != null) writeBody(out, request.body());
                out.flush();
            } catch (IOException e) {
                writeFailure = e;
            }
            InputStream in = new BufferedInputStream(conn.input(), 64 * 1024);
            HttpResponse response;
            try {
                response = ResponseReader.read(in, request.method(), conn);
            } catch (IOException e) {
                if (writeFailure != null) throw writeFailure;
                throw e;
            }
            return new Upgraded(response, conn);
        } catch (IOException | RuntimeException e) {
            conn.close();
            throw e;
        }
    }

    private static void writeHead(OutputStream out, HttpRequest request, boolean upgrade) throws IOException {
        StringBuilder head = new StringBuilder(256);
        head.append(request.method()).append(' ').append(request.target()).append(" HTTP/1.1\r\n");
        head.append("Host: docker\r\nUser-Agent: ").append(USER_AGENT).append("\r\n");
        if (!upgrade) head.append("Connection: close\r\n");
        for (Map.Entry<String, String> h : request.headers().entrySet()) {
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        HttpRequest.Body body = request.body();
        if (body != null) {
            if (body.contentType() != null) head.append("Content-Type: ").append(body.contentType()).append("\r\n");
            if (body.length() >= 0) head.append("Content-Length: ").append(body.length()).append("\r\n");
            else head.append("Transfer-Encoding: chunked\r\n");
        } else if (request.method().equals("POST") || request.method().equals("PUT")) {
            head.append("Content-Length: 0\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void writeBody(OutputStream out, HttpRequest.Body body) throws IOException {
        if (body.length() >= 0) {
            body.writeTo(out);
            return;
        }
        ChunkedOutputStream chunked = new ChunkedOutputStream(out);
        BufferedOutputStream buffered = new BufferedOutputStream(chunked, 32 * 1024);
        body.writeTo(buffered);
        buffered.flush();
        chunked.finish();
    }
}
