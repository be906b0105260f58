package berth.engine.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpHeaders;

import java.io.PrintWriter;
import java.io.StringWriter;

/** What every connection of one server shares: the routes, the error mapping and the JSON mapper. */
record Api(Router router, ErrorMapper errors, ObjectMapper json) {

    /** Adds the headers that every response carries (docker clients read the API version from them). */
    static void commonHeaders(HttpHeaders h) {
        h.set("Api-Version", Router.MAX_VERSION);
        h.set("Ostype", "linux");
        h.set("Server", "berth");
        h.set("Docker-Experimental", "false");
    }

    /** The message of {@code t}, or its type when it has none. */
    static String message(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    /** Maps a handler's exception: ApiException as it is, the rest through the engine's mapper (500 when it has none). */
    ApiException map(Throwable t) {
        if (t instanceof ApiException a) {
            return a;
        }
        try {
            ApiException mapped = errors.map(t);
            if (mapped != null) {
                return mapped;
            }
        } catch (RuntimeException e) {
            t.addSuppressed(e);
        }
        return new ApiException(500, message(t), t);
    }

    /** Logs a failed request with its stack trace to stderr, in one piece. */
    static void log(String request, Throwable t) {
        StringWriter text = new StringWriter();
        PrintWriter w = new PrintWriter(text);
        w.println("berth api: " + request + " failed: " + message(t));
        t.printStackTrace(w);
        w.flush();
        System.err.print(text);
    }
}
