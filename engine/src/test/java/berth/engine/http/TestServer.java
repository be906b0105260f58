package berth.engine.http;

import java.io.IOException;
import java.nio.file.Path;
import java.util.NoSuchElementException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** An ApiServer on a socket in a test's temporary directory, with the error mapping the tests expect. */
final class TestServer implements AutoCloseable {
    /** NoSuchElementException is the tests' "not found" domain error; everything else is unexpected. */
    static final ErrorMapper ERRORS = t -> t instanceof NoSuchElementException
            ? new ApiException(404, t.getMessage())
            : new ApiException(500, Api.message(t));

    final Path socket;
    final ApiServer server;

    private TestServer(Path socket, ApiServer server) {
        this.socket = socket;
        this.server = server;
    }

    static TestServer start(Path dir, Router router) throws IOException {
        Path socket = dir.resolve("run").resolve("api.sock");
        return new TestServer(socket, ApiServer.start(socket, router, ERRORS));
    }

    UnixHttpClient connect() throws IOException {
        return UnixHttpClient.connect(socket);
    }

    @Override
    public void close() {
        server.close();
    }

    /** Asserts the headers that every response must carry. */
    static void assertApiHeaders(UnixHttpClient.Head h) {
        assertApiHeaders(h.header("api-version"), h.header("ostype"), h.header("server"),
                h.header("docker-experimental"));
    }

    static void assertApiHeaders(UnixHttpClient.Response r) {
        assertApiHeaders(r.header("api-version"), r.header("ostype"), r.header("server"),
                r.header("docker-experimental"));
    }

    private static void assertApiHeaders(String version, String os, String server, String experimental) {
        assertEquals("1.44", version, "Api-Version");
        assertEquals("linux", os, "Ostype");
        assertEquals("berth", server, "Server");
        assertEquals("false", experimental, "Docker-Experimental");
    }
}
