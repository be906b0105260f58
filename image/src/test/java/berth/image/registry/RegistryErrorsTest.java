package berth.image.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import berth.image.ImageException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RegistryErrorsTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void specErrorBecomesMessageAndCode() {
        ImageException e = RegistryErrors.of("pull 127.0.0.1:5000/x:y", 404,
                b("{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\",\"detail\":{\"Tag\":\"y\"}}]}"), "127.0.0.1:5000");
        assertInstanceOf(ImageException.NotFound.class, e);
        assertEquals("pull 127.0.0.1:5000/x:y: manifest unknown (MANIFEST_UNKNOWN)", e.getMessage());
    }

    @Test
    void severalErrorsAreJoinedOnOneLine() {
        assertEquals("blob unknown to registry (BLOB_UNKNOWN); DIGEST_INVALID",
                RegistryErrors.describe(400, b("{\"errors\":[{\"code\":\"BLOB_UNKNOWN\",\"message\":\"blob unknown to registry\"},"
                        + "{\"code\":\"DIGEST_INVALID\"}]}")));
    }

    @Test
    void refusalsAreUnauthorizedWithALoginHint() {
        ImageException e = RegistryErrors.of("pull 127.0.0.1:5000/x:y", 401,
                b("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\",\"detail\":null}]}"), "127.0.0.1:5000");
        assertInstanceOf(UnauthorizedException.class, e);
        assertEquals("pull 127.0.0.1:5000/x:y: unauthorized: authentication required; run `berth login 127.0.0.1:5000`", e.getMessage());

        ImageException denied = RegistryErrors.of("push docker.io/library/x:1", 403,
                b("{\"errors\":[{\"code\":\"DENIED\",\"message\":\"requested access to the resource is denied\"}]}"), null);
        assertEquals("push docker.io/library/x:1: unauthorized: requested access to the resource is denied", denied.getMessage());
    }

    @Test
    void tokenServerErrorsAndBodiesThatAreNotSpecJson() {
        assertEquals("incorrect username or password", RegistryErrors.describe(401, b("{\"details\":\"incorrect username or password\"}")));
        assertEquals("authentication required", RegistryErrors.describe(401, new byte[0]));
        assertEquals("not found", RegistryErrors.describe(404, new byte[0]));
        assertEquals("HTTP 502", RegistryErrors.describe(502, b("<html><body>Bad Gateway</body></html>")));
        assertEquals("HTTP 500: upstream went away", RegistryErrors.describe(500, b("upstream went away\nat line 2\n")));
        assertEquals("HTTP 400: {not json", RegistryErrors.describe(400, b("{not json")));
        assertEquals(ImageException.class, RegistryErrors.of("x", 500, new byte[0], null).getClass());
    }
}
