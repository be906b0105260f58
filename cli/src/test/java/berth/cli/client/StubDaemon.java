package berth.cli.client;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A daemon stand-in on a real unix socket in a temporary directory: it parses each request (Content-Length
 * and chunked bodies), records it, and lets the test's handler write the raw response bytes.
 */
public final class StubDaemon implements AutoCloseable {
    /** A request as the stub read it. */
    public record Request(String method, String target, Map<String, String> headers, byte[] body) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Answers one request; {@code in} still holds whatever the client sends after the request (an upgrade). */
    @FunctionalInterface
    public interface Handler {
        void handle(Request request, InputStream in, OutputStream out, SocketChannel channel) throws IOException;
    }

    private final Path dir;
    private final ServerSocketChannel server;
    private final Thread acceptor;
    public final List<Request> requests = new CopyOnWriteArrayList<>();

    public StubDaemon(Handler handler) throws IOException {
        this(handler, true);
    }

    /** With {@code readBody} false the handler runs right after the request head, the body unread. */
    public StubDaemon(Handler handler, boolean readBody) throws IOException {
        dir = Files.createTempDirectory("berth-stub-");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(dir.resolve("d.sock")));
        acceptor = Thread.ofPlatform().daemon().start(() -> {
            while (server.isOpen()) {
                try {
                    SocketChannel ch = server.accept();
                    Thread.ofPlatform().daemon().start(() -> serve(ch, handler, readBody));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    /** A handler that answers every request with {@code status} and a JSON body, plus {@code Api-Version}. */
    public static Handler json(int status, String body, String apiVersion) {
        return (req, in, out, ch) -> respond(out, status, body, apiVersion == null ? Map.of() : Map.of("Api-Version", apiVersion));
    }

    public static void respond(OutputStream out, int status, String body, Map<String, String> headers) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("HTTP/1.1 " + status + " Stub\r\nContent-Type: application/json\r\nContent-Length: " + b.length + "\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        out.write(b);
        out.flush();
    }

    public Path socket() {
        return dir.resolve("d.sock");
    }

    private void serve(SocketChannel ch, Handler handler, boolean readBody) {
        try (ch) {
            InputStream in = new BufferedInputStream(Channels.newInputStream(ch));
            String requestLine = line(in);
            if (requestLine == null) return;
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                int colon = h.indexOf(':');
                headers.put(h.substring(0, colon).strip(), h.substring(colon + 1).strip());
            }
            byte[] body;
            if (!readBody) {
                body = new byte[0];
            } else if ("chunked".equals(headers.getOrDefault("Transfer-Encoding", "").toLowerCase(Locale.ROOT))) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                for (int size; (size = Integer.parseInt(line(in), 16)) > 0; ) {
                    b.write(in.readNBytes(size));
                    line(in);
                }
                line(in);
                body = b.toByteArray();
            } else {
                body = in.readNBytes(Integer.parseInt(headers.getOrDefault("Content-Length", "0")));
            }
            String[] parts = requestLine.split(" ");
            Request r = new Request(parts[0], parts[1], headers, body);
            requests.add(r);
            handler.handle(r, in, Channels.newOutputStream(ch), ch);
        } catch (IOException | RuntimeException e) {
            // the client went away: nothing to answer
        }
    }

    static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') if (c != '\r') b.append((char) c);
        return c < 0 && b.isEmpty() ? null : b.toString();
    }

    @Override
    public void close() throws IOException {
        server.close();
        acceptor.interrupt();
        Files.deleteIfExists(socket());
        Files.deleteIfExists(dir);
    }
}
