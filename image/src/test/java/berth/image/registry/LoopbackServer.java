package berth.image.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The JDK's HttpServer on 127.0.0.1 for protocol edge cases a real registry does not produce on demand
 * (redirects to storage, token servers, servers that ignore Range). Every request is logged as
 * {@code METHOD path?query} for assertions on what the client sent.
 */
final class LoopbackServer implements AutoCloseable {
    private final HttpServer server;
    final List<String> requests = new CopyOnWriteArrayList<>();

    LoopbackServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.start();
    }

    /** Serves requests under {@code prefix} with {@code handler} (logging each first). */
    LoopbackServer on(String prefix, HttpHandler handler) {
        server.createContext(prefix, ex -> {
            requests.add(ex.getRequestMethod() + " " + ex.getRequestURI());
            try (ex) {
                handler.handle(ex);
            }
        });
        return this;
    }

    String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    String url(String path) {
        return "http://" + host() + path;
    }

    static void respond(HttpExchange ex, int status, Map<String, String> headers, byte[] body) throws IOException {
        ex.getRequestBody().readAllBytes();
        headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) ex.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
