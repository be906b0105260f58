package berth.engine.http;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * One request and its response, seen from a blocking {@link Handler}. A handler answers exactly once: with
 * {@link #status}, {@link #json}, {@link #stream} or {@link #hijack}. If it returns without answering the client
 * gets an empty 200; an open stream is ended and a hijacked connection closed when it returns. Every response
 * carries the API headers ({@code Api-Version}, {@code Ostype}, {@code Server}, {@code Docker-Experimental});
 * responses to HEAD requests carry no body.
 */
public interface Exchange {

    String method();

    /** The path without the {@code /vX.Y} prefix and without the query, URL-decoded. */
    String path();

    /** The API version from the path prefix, else {@link Router#DEFAULT_VERSION}. */
    String apiVersion();

    boolean versionAtLeast(String version);

    /** A path parameter of the matched route, URL-decoded; null when the route has no such parameter. */
    String param(String name);

    /** The first value of a query parameter, URL-decoded; null when absent. */
    String query(String name);

    /** Every value of a query parameter in order; empty when absent. */
    List<String> queryAll(String name);

    /**
     * A boolean query parameter as dockerd reads it: {@code dflt} when the key is absent, else false for "",
     * "0", "no", "false" and "none" (any case) and true for anything else.
     */
    boolean queryBool(String name, boolean dflt);

    /** An integer query parameter; {@code dflt} when absent or empty; ApiException 400 when not an integer. */
    int queryInt(String name, int dflt);

    /** A request header (case-insensitive name); null when absent. */
    String header(String name);

    /** The request body as it arrives (Content-Length or chunked); empty when there is none. */
    InputStream body();

    /** The body parsed as JSON: an empty body (or {@code null}) gives an empty object; malformed JSON is ApiException 400. */
    JsonNode jsonBody();

    /** Adds a header to the response; call it before answering. */
    void responseHeader(String name, String value);

    /** An empty response (204, 304, 201, ...). */
    void status(int status);

    /** A JSON response: {@code body} serialised by Jackson (JsonNode, Map, List, records), as application/json. */
    void json(int status, Object body);

    /** A response with {@code body} as it is ("OK" as text/plain for /_ping, ...). */
    void bytes(int status, String contentType, byte[] body);

    /**
     * Starts a streamed (chunked) response. The headers are sent at once; every {@code flush()} sends what was
     * written to the client; {@code close()} ends the response. Writes fail with an IOException once the client
     * is gone. Safe for several threads: each {@code write} call stays whole.
     */
    OutputStream stream(int status, String contentType);

    /**
     * Takes the connection over for raw bytes. With {@code Connection: Upgrade} and {@code Upgrade: tcp} in the
     * request the answer is {@code 101 UPGRADED}; without them it is a 200 whose body runs until the connection
     * closes. Either way the connection serves no further requests.
     */
    Hijacked hijack(String contentType);

    /** Whether the client closed its connection (it dropped a wait or a log stream). */
    boolean clientGone();

    /**
     * Runs {@code r} once when the client goes away while this exchange is in progress (on another thread), or at
     * once in the caller when it is already gone. Not run after the handler returned.
     */
    void onClientGone(Runnable r);
}
