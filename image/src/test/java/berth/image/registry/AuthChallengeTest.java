package berth.image.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthChallengeTest {

    @Test
    void dockerHubBearerChallenge() {
        List<AuthChallenge> c = AuthChallenge.parse(
                "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/busybox:pull\"");
        assertEquals(1, c.size());
        assertTrue(c.getFirst().is("bearer"));
        assertEquals(Map.of("realm", "https://auth.docker.io/token", "service", "registry.docker.io",
                "scope", "repository:library/busybox:pull"), c.getFirst().params());
    }

    @Test
    void distributionBasicChallenge() {
        assertEquals(List.of(new AuthChallenge("Basic", Map.of("realm", "basic-realm"))),
                AuthChallenge.parse("Basic realm=\"basic-realm\""));
    }

    @Test
    void severalChallengesInOneHeaderAndAcrossHeaders() {
        List<AuthChallenge> c = AuthChallenge.parse(List.of(
                "Bearer realm=\"https://a/token\", error=\"insufficient_scope\", Basic realm=\"b\"",
                "Negotiate"));
        assertEquals(3, c.size());
        assertEquals(Map.of("realm", "https://a/token", "error", "insufficient_scope"), c.get(0).params());
        assertEquals(new AuthChallenge("Basic", Map.of("realm", "b")), c.get(1));
        assertEquals(new AuthChallenge("Negotiate", Map.of()), c.get(2));
    }

    @Test
    void quotedValuesKeepCommasAndEscapesAndNamesAreCaseInsensitive() {
        AuthChallenge c = AuthChallenge.parse("BEARER Realm = \"https://x/token?a=1,b=2\" , SERVICE=\"say \\\"hi\\\"\",scope=plain").getFirst();
        assertTrue(c.is("Bearer"));
        assertEquals("https://x/token?a=1,b=2", c.param("realm"));
        assertEquals("say \"hi\"", c.param("service"));
        assertEquals("plain", c.param("scope"));
    }

    @Test
    void garbageParsesToSomethingWithoutLooping() {
        AuthChallenge.parse("=,, \"unterminated");
        AuthChallenge.parse("");
        assertEquals(List.of(), AuthChallenge.parse("  ,  "));
    }
}
