package berth.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.IOException;
import java.net.ConnectException;
import java.util.Map;

/**
 * The Docker Engine API as the berth CLI calls it. The API version is negotiated once, like the docker CLI
 * does: {@code /_ping}'s {@code Api-Version} header, capped at {@link #MAX_VERSION}; every later path is
 * prefixed with {@code /v<version>}. Error statuses become {@link DaemonException}s carrying the daemon's
 * message; a socket nobody answers on becomes {@link DaemonUnreachableException}.
 */
public final class ApiClient {
    public static final String MAX_VERSION = "1.44";
    /** What is assumed when the daemon's ping names no version (the docker CLI's fallback). */
    static final String FALLBACK_VERSION = "1.24";

    private final UnixHttpTransport transport;
    private final String hostUri;
    private String version;

    public ApiClient(UnixHttpTransport transport, String hostUri) {
        this.transport = transport;
        this.hostUri = hostUri;
    }

    /** What {@code GET /_ping} says: its headers matter ({@code Api-Version}, {@code OSType}). */
    public record Ping(String apiVersion, String osType, String body) {}

    public Ping ping() throws IOException {
        try (HttpResponse r = connect(HttpRequest.of("GET", "/_ping"))) {
            String body = r.bodyString();
            if (r.status() != 200) throw error(r.status(), body);
            return new Ping(r.header("Api-Version"), r.header("OSType"), body);
        }
    }

    /** The negotiated API version (pinging the daemon the first time). */
    public String version() throws IOException {
        if (version == null) {
            String offered = ping().apiVersion();
            version = offered == null || offered.isEmpty() ? FALLBACK_VERSION : min(offered, MAX_VERSION);
        }
        return version;
    }

    static String min(String a, String b) {
        return compare(a, b) <= 0 ? a : b;
    }

    /** Compares API versions numerically, part by part ({@code 1.9 < 1.41}). */
    public static int compare(String a, String b) {
        String[] x = a.split("\\."), y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? parse(x[i]) : 0, q = i < y.length ? parse(y[i]) : 0;
            if (p != q) return Integer.compare(p, q);
        }
        return 0;
    }

    private static int parse(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public boolean atLeast(String v) throws IOException {
        return compare(version(), v) >= 0;
    }

    public JsonNode get(String path, Query q) throws IOException {
        return json(call("GET", path, q, null, Map.of()));
    }

    /** POSTs {@code body} (or nothing, if null); the answer's JSON, or a missing node if it had none. */
    public JsonNode post(String path, Query q, JsonNode body) throws IOException {
        return json(call("POST", path, q, body == null ? null : jsonBody(body), Map.of()));
    }

    public JsonNode delete(String path, Query q) throws IOException {
        return json(call("DELETE", path, q, null, Map.of()));
    }

    /** Sends a request and returns the successful response for the caller to stream; errors are thrown. */
    public HttpResponse call(String method, String path, Query q, HttpRequest.Body body, Map<String, String> headers) throws IOException {
        HttpResponse r = send(method, path, q, body, headers);
        if (r.status() / 100 != 2) {
            try (r) {
                throw error(r.status(), r.bodyString());
            }
        }
        return r;
    }

    /** Sends a request and returns whatever the daemon answered, error statuses included (HEAD of an archive). */
    public HttpResponse send(String method, String path, Query q, HttpRequest.Body body, Map<String, String> headers) throws IOException {
        HttpRequest req = new HttpRequest(method, "/v" + version() + path + (q == null ? "" : q), headers, body);
        return connect(req);
    }

    /** An upgraded (hijacked) exchange for attach and exec start; errors are thrown. */
    public UnixHttpTransport.Upgraded upgrade(String method, String path, Query q, JsonNode jsonBody) throws IOException {
        HttpRequest req = new HttpRequest(method, "/v" + version() + path + (q == null ? "" : q), Map.of(),
                jsonBody == null ? null : jsonBody(jsonBody));
        UnixHttpTransport.Upgraded u;
        try {
            u = transport.upgrade(req);
        } catch (ConnectException e) {
            throw unreachable(e);
        }
        HttpResponse r = u.response();
        if (r.status() != 101 && r.status() != 200) {
            try (r) {
                throw error(r.status(), r.bodyString());
            }
        }
        return u;
    }

    private HttpResponse connect(HttpRequest req) throws IOException {
        try {
            return transport.send(req);
        } catch (ConnectException e) {
            throw unreachable(e);
        }
    }

    private DaemonUnreachableException unreachable(IOException e) {
        return new DaemonUnreachableException("Cannot connect to the berth daemon at " + hostUri + ". Is the daemon running? ("
                + e.getMessage() + ")", e);
    }

    public static HttpRequest.Body jsonBody(JsonNode body) {
        return HttpRequest.Body.bytes(Json.write(body).getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/json");
    }

    private static JsonNode json(HttpResponse r) throws IOException {
        byte[] body = r.bodyBytes();
        if (body.length == 0) return MissingNode.getInstance();
        return Json.parse(body);
    }

    static DaemonException error(int status, String body) {
        String message = body.strip();
        if (message.startsWith("{")) {
            try {
                JsonNode n = Json.parse(message.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                if (n.hasNonNull("message")) message = n.get("message").asText();
            } catch (java.io.UncheckedIOException e) {
                // not JSON after all: the text is the message
            }
        }
        if (message.isEmpty()) message = "the daemon answered HTTP " + status + " with no message";
        return new DaemonException(status, message.lines().findFirst().orElse(message));
    }
}
