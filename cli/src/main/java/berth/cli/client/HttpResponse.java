package berth.cli.client;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A response of the daemon: status, headers (names in lower case) and the body as a stream that ends where
 * the message ends. After a {@code 101 Switching Protocols} the body is the raw upgraded stream. Closing it
 * closes the connection.
 */
public final class HttpResponse implements AutoCloseable {
    private final int status;
    private final String reason;
    private final Map<String, String> headers;
    private final InputStream body;
    private final Closeable connection;

    HttpResponse(int status, String reason, Map<String, String> headers, InputStream body, Closeable connection) {
        this.status = status;
        this.reason = reason;
        this.headers = headers;
        this.body = body;
        this.connection = connection;
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    /** The header's value (repeated headers joined with {@code ", "}), or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    public Map<String, String> headers() {
        return headers;
    }

    public InputStream body() {
        return body;
    }

    public byte[] bodyBytes() throws IOException {
        try (this) {
            return body.readAllBytes();
        }
    }

    public String bodyString() throws IOException {
        return new String(bodyBytes(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
