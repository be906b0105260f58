package berth.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiClientTest {
    private static ApiClient client(StubDaemon d) {
        return new ApiClient(new UnixHttpTransport(d.socket()), "unix://" + d.socket());
    }

    @Test
    void negotiatesDownToAnOlderDaemonAndPrefixesPaths() throws IOException {
        try (StubDaemon d = new StubDaemon(StubDaemon.json(200, "[]", "1.41"))) {
            ApiClient api = client(d);
            api.get("/containers/json", Query.of().flag("all", true).flag("size", false));
            assertEquals("/_ping", d.requests.get(0).target());
            assertEquals("/v1.41/containers/json?all=1", d.requests.get(1).target());
            assertTrue(api.atLeast("1.30"));
            assertTrue(!api.atLeast("1.42"));
        }
    }

    @Test
    void capsANewerDaemonAtItsOwnMaximumAndFallsBackWithoutAHeader() throws IOException {
        try (StubDaemon newer = new StubDaemon(StubDaemon.json(200, "OK", "1.50"))) {
            assertEquals(ApiClient.MAX_VERSION, client(newer).version());
        }
        try (StubDaemon silent = new StubDaemon(StubDaemon.json(200, "OK", null))) {
            assertEquals(ApiClient.FALLBACK_VERSION, client(silent).version());
        }
        assertTrue(ApiClient.compare("1.9", "1.41") < 0);
        assertEquals(0, ApiClient.compare("1.41", "1.41.0"));
    }

    @Test
    void errorsCarryTheDaemonsMessage() throws IOException {
        StubDaemon.Handler h = (req, in, out, ch) -> {
            if (req.target().equals("/_ping")) StubDaemon.respond(out, 200, "OK", Map.of("Api-Version", "1.44"));
            else if (req.target().contains("nosuch")) StubDaemon.respond(out, 404, "{\"message\":\"No such container: nosuch\"}", Map.of());
            else StubDaemon.respond(out, 500, "plain text failure\nsecond line", Map.of());
        };
        try (StubDaemon d = new StubDaemon(h)) {
            ApiClient api = client(d);
            DaemonException missing = assertThrows(DaemonException.class, () -> api.get("/containers/nosuch/json", null));
            assertEquals(404, missing.status());
            assertTrue(missing.notFound());
            assertEquals("No such container: nosuch", missing.getMessage());
            DaemonException text = assertThrows(DaemonException.class, () -> api.post("/x", null, Json.object().put("a", 1)));
            assertEquals("plain text failure", text.getMessage());
            assertEquals("{\"a\":1}", d.requests.getLast().bodyText());
        }
    }

    @Test
    void queryEncodesFiltersAsTheApiWantsThem() {
        String q = Query.of().add("name", "a b&c").filters(List.of("status=exited", "label=x=y", "status=created")).toString();
        assertEquals("?name=a%20b%26c&filters=" + Query.encode("{\"status\":[\"exited\",\"created\"],\"label\":[\"x=y\"]}"), q);
        assertThrows(IllegalArgumentException.class, () -> Query.of().filters(List.of("novalue")));
    }

    @Test
    void anAbsentSocketIsUnreachable() {
        ApiClient api = new ApiClient(new UnixHttpTransport(Path.of("/nonexistent/d.sock")), "unix:///nonexistent/d.sock");
        DaemonUnreachableException e = assertThrows(DaemonUnreachableException.class, api::version);
        assertTrue(e.getMessage().startsWith("Cannot connect to the berth daemon at unix:///nonexistent/d.sock. Is the daemon running?"), e.getMessage());
    }

    @Test
    void jsonMessagesEndAtAnErrorMessage() {
        String stream = "{\"status\":\"Pulling fs layer\",\"id\":\"a\"}\n{\"errorDetail\":{\"message\":\"manifest unknown\"},\"error\":\"manifest unknown\"}\n";
        List<JsonNode> seen = new java.util.ArrayList<>();
        DaemonException e = assertThrows(DaemonException.class, () -> JsonMessages.each(
                new java.io.ByteArrayInputStream(stream.getBytes()), seen::add));
        assertEquals("manifest unknown", e.getMessage());
        assertEquals(1, seen.size());
    }

    @Test
    void daemonHostFollowsFlagThenEnvironmentAndRefusesTcp() {
        assertEquals(Path.of("/a.sock"), DaemonHost.choose("unix:///a.sock", Map.of("DOCKER_HOST", "unix:///b.sock")).socket());
        DaemonHost env = DaemonHost.choose(null, Map.of("DOCKER_HOST", "unix:///b.sock"));
        assertEquals(Path.of("/b.sock"), env.socket());
        assertTrue(!env.isDefault());
        DaemonHost dflt = DaemonHost.choose(null, Map.of());
        assertTrue(dflt.isDefault());
        assertEquals(Path.of("/run/berth/berth.sock"), dflt.socket());
        IllegalArgumentException tcp = assertThrows(IllegalArgumentException.class, () -> DaemonHost.choose("tcp://127.0.0.1:2375", Map.of()));
        assertTrue(tcp.getMessage().contains("unix:// sockets only, not tcp://"), tcp.getMessage());
    }
}
