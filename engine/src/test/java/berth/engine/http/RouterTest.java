package berth.engine.http;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RouterTest {
    private final Handler inspectImage = ex -> { };
    private final Handler pushImage = ex -> { };
    private final Handler listImages = ex -> { };
    private final Handler inspectContainer = ex -> { };
    private final Handler removeImage = ex -> { };
    private final Handler ping = ex -> { };
    private final Handler headPing = ex -> { };
    private final Router router = new Router()
            .on("GET", "/images/{name*}/json", inspectImage)
            .on("POST", "/images/{name*}/push", pushImage)
            .on("GET", "/images/json", listImages)
            .on("DELETE", "/images/{name*}", removeImage)
            .on("GET", "/containers/{id}/json", inspectContainer)
            .on("GET", "/_ping", ping)
            .on("HEAD", "/_ping", headPing);

    @Test
    void singleSegmentParameter() {
        Router.Match m = router.resolve("GET", "/containers/abc123/json");
        assertSame(inspectContainer, m.handler());
        assertEquals(Map.of("id", "abc123"), m.params());
        assertEquals("/containers/abc123/json", m.path());
        assertEquals(Router.DEFAULT_VERSION, m.version());
    }

    @Test
    void greedyParameterTakesImageNamesWithSlashes() {
        Router.Match m = router.resolve("GET", "/images/localhost:5000/team/app:1.0/json");
        assertSame(inspectImage, m.handler());
        assertEquals("localhost:5000/team/app:1.0", m.params().get("name"));
        assertEquals("busybox", router.resolve("POST", "/images/busybox/push").params().get("name"));
        // greedy: an image called "json" inside a repository is still a name
        assertEquals("library/json", router.resolve("GET", "/images/library/json/json").params().get("name"));
        assertEquals("docker.io/library/alpine",
                router.resolve("DELETE", "/images/docker.io/library/alpine").params().get("name"));
    }

    @Test
    void literalRoutesWinOverParameters() {
        assertSame(listImages, router.resolve("GET", "/images/json").handler());
        Router other = new Router().on("GET", "/volumes/{name}", inspectImage).on("GET", "/volumes/prune", ping);
        assertSame(ping, other.resolve("GET", "/volumes/prune").handler());
        assertSame(inspectImage, other.resolve("GET", "/volumes/data").handler());
    }

    @Test
    void versionPrefixIsStripped() {
        Router.Match m = router.resolve("GET", "/v1.41/containers/x/json");
        assertEquals("1.41", m.version());
        assertEquals("/containers/x/json", m.path());
        assertEquals("x", m.params().get("id"));
        assertEquals("1.24", router.resolve("GET", "/v1.24/_ping").version());
    }

    @Test
    void versionsOutOfRangeAreRejectedAsDockerdDoes() {
        ApiException tooNew = assertThrows(ApiException.class, () -> router.resolve("GET", "/v1.99/_ping"));
        assertEquals(400, tooNew.status());
        assertEquals("client version 1.99 is too new. Maximum supported API version is 1.44", tooNew.getMessage());
        ApiException tooOld = assertThrows(ApiException.class, () -> router.resolve("GET", "/v1.12/_ping"));
        assertEquals(400, tooOld.status());
        assertEquals("client version 1.12 is too old. Minimum supported API version is 1.24, please upgrade your "
                + "client to a newer version", tooOld.getMessage());
    }

    @Test
    void unknownPathsAndWrongMethodsAreNotFound() {
        for (String[] req : new String[][] {{"GET", "/nope"}, {"POST", "/containers/x/json"},
                {"GET", "/containers//json"}, {"GET", "/images/json/"}, {"GET", "/v1.41"}, {"GET", "/"}}) {
            ApiException e = assertThrows(ApiException.class, () -> router.resolve(req[0], req[1]), req[1]);
            assertEquals(404, e.status());
            assertEquals("page not found", e.getMessage());
        }
    }

    @Test
    void headFallsBackToGetOnlyWithoutAHeadRoute() {
        assertSame(headPing, router.resolve("HEAD", "/_ping").handler());
        assertSame(inspectContainer, router.resolve("HEAD", "/containers/c/json").handler());
    }

    @Test
    void registrationOrderBreaksTies() {
        Handler first = ex -> { };
        Handler second = ex -> { };
        Router r = new Router().on("GET", "/a/{x}", first).on("GET", "/a/{y}", second);
        assertSame(first, r.resolve("GET", "/a/b").handler());
    }

    @Test
    void malformedPatternsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Router().on("GET", "images/json", ping));
        assertThrows(IllegalArgumentException.class, () -> new Router().on("GET", "/images/x{name}", ping));
        assertThrows(IllegalArgumentException.class, () -> new Router().on("GET", "/images/{}", ping));
    }

    @Test
    void versionComparison() {
        assertEquals(0, ApiVersions.compare("1.41", "1.41"));
        assertEquals(-1, Integer.signum(ApiVersions.compare("1.9", "1.41")));
        assertEquals(1, Integer.signum(ApiVersions.compare("1.44", "1.4")));
        assertEquals(1, Integer.signum(ApiVersions.compare("2", "1.44")));
        assertEquals(0, ApiVersions.compare("1.40", "1.40.0"));
    }
}
