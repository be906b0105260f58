package berth.image.registry;

import static berth.image.registry.LoopbackServer.respond;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.image.Descriptor;
import berth.image.Digest;
import berth.image.ImageException;
import berth.image.MediaTypes;
import berth.image.Reference;
import berth.image.content.ContentStore;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Protocol edge cases against a scripted loopback server: the Bearer token flow, redirects to another host,
 * servers that ignore Range, relative upload Locations, chunked and monolithic upload requests, and content
 * that does not match its digest. (The common paths run against a real registry in RegistryClientTest.)
 */
class RegistryProtocolTest {
    private static final byte[] MANIFEST = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"layers\":[]}"
            .getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path tmp;

    private final LoopbackServer registry = new LoopbackServer();
    private final LoopbackServer storage = new LoopbackServer();

    @AfterEach
    void stop() {
        registry.close();
        storage.close();
    }

    private RegistryClient client(int chunkSize, String user, String pass) {
        CredentialStore creds = new CredentialStore(tmp.resolve("docker"));
        if (user != null) creds.store(registry.host(), user, pass);
        return new RegistryClient(RegistryClient.newHttpClient(), creds, RegistryHosts.secure(), chunkSize);
    }

    private Reference ref(String s) {
        return Reference.parse(registry.host() + "/" + s);
    }

    private static String auth(HttpExchange ex) {
        return ex.getRequestHeaders().getFirst("Authorization");
    }

    private static String encoded(Digest d) {
        return "sha256%3A" + d.hex();
    }

    private static String basic(String user, String pass) {
        return new Credentials(user, pass).basicHeader();
    }

    /** A registry whose manifests need a Bearer token from its /token endpoint, which wants alice's password. */
    private List<String> bearerRegistry() {
        List<String> tokenQueries = new CopyOnWriteArrayList<>();
        registry.on("/token", ex -> {
            tokenQueries.add(ex.getRequestURI().getRawQuery());
            String a = auth(ex);
            if (a == null) {
                respond(ex, 200, Map.of(), "{\"token\":\"anonymous-token\"}".getBytes());
            } else if (a.equals(basic("alice", "secret"))) {
                respond(ex, 200, Map.of(), "{\"access_token\":\"alice-token\",\"expires_in\":300}".getBytes());
            } else {
                respond(ex, 401, Map.of(), "{\"details\":\"incorrect username or password\"}".getBytes());
            }
        });
        registry.on("/v2/", ex -> {
            String a = auth(ex);
            if ("Bearer alice-token".equals(a) || ("Bearer anonymous-token".equals(a) && ex.getRequestURI().getPath().contains("/public/"))) {
                respond(ex, 200, Map.of("Content-Type", MediaTypes.OCI_MANIFEST), MANIFEST);
            } else {
                respond(ex, 401, Map.of("WWW-Authenticate", "Bearer realm=\"" + registry.url("/token") + "\",service=\"test-registry\","
                        + "scope=\"repository:app:pull\""), "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}".getBytes());
            }
        });
        return tokenQueries;
    }

    @Test
    void bearerTokenIsFetchedWithBasicCredentialsForTheScopeAndCached() {
        List<String> tokenQueries = bearerRegistry();
        RegistryClient client = client(1024, "alice", "secret");

        assertArrayEquals(MANIFEST, client.resolve(ref("app:1")).manifest());
        assertArrayEquals(MANIFEST, client.resolve(ref("app:2")).manifest());
        assertEquals(List.of("service=test-registry&scope=repository%3Aapp%3Apull"), tokenQueries);
        assertEquals(List.of("GET /v2/app/manifests/1", "GET /token?service=test-registry&scope=repository%3Aapp%3Apull",
                "GET /v2/app/manifests/1", "GET /v2/app/manifests/2"), registry.requests);
    }

    @Test
    void withoutCredentialsAnAnonymousTokenIsUsedAndARefusalSaysHowToLogIn() {
        bearerRegistry();
        RegistryClient client = client(1024, null, null);
        assertArrayEquals(MANIFEST, client.resolve(ref("public/app:1")).manifest());

        UnauthorizedException e = assertThrows(UnauthorizedException.class, () -> client.resolve(ref("app:1")));
        assertEquals("pull " + registry.host() + "/app:1: unauthorized: authentication required; run `berth login " + registry.host() + "`",
                e.getMessage());
    }

    @Test
    void wrongCredentialsFailAtTheTokenServerAndLoginSaysSo() {
        bearerRegistry();
        UnauthorizedException e = assertThrows(UnauthorizedException.class, () -> client(1024, "alice", "wrong").resolve(ref("app:1")));
        assertEquals("pull " + registry.host() + "/app:1: unauthorized: incorrect username or password; run `berth login "
                + registry.host() + "`", e.getMessage());

        UnauthorizedException login = assertThrows(UnauthorizedException.class,
                () -> client(1024, null, null).checkLogin(registry.host(), new Credentials("alice", "wrong")));
        assertEquals("login to " + registry.host() + " failed: unauthorized: incorrect username or password", login.getMessage());
        client(1024, null, null).checkLogin(registry.host(), new Credentials("alice", "secret"));
    }

    @Test
    void aRedirectToAnotherHostDropsAuthorizationAndOneToTheSameHostKeepsIt() throws IOException {
        byte[] blob = "layer bytes".getBytes(StandardCharsets.UTF_8);
        Digest d = Digest.of(blob);
        List<String> storageAuth = new CopyOnWriteArrayList<>();
        List<String> registryAuth = new CopyOnWriteArrayList<>();
        storage.on("/", ex -> {
            storageAuth.add(String.valueOf(auth(ex)));
            respond(ex, 200, Map.of(), blob);
        });
        registry.on("/v2/", ex -> {
            registryAuth.add(String.valueOf(auth(ex)));
            if (!basic("alice", "secret").equals(auth(ex))) {
                respond(ex, 401, Map.of("WWW-Authenticate", "Basic realm=\"test\""), new byte[0]);
            } else if (ex.getRequestURI().getPath().endsWith("/moved")) {
                respond(ex, 307, Map.of("Location", storage.url("/bucket/" + d.hex() + "?sig=x")), new byte[0]);
            } else {
                respond(ex, 302, Map.of("Location", "/v2/app/blobs/moved"), new byte[0]);
            }
        });

        try (BlobStream s = client(1024, "alice", "secret").fetchBlob(ref("app:1"), d, 0)) {
            assertArrayEquals(blob, s.body().readAllBytes());
        }
        assertEquals(List.of("null", basic("alice", "secret"), basic("alice", "secret")), registryAuth);
        assertEquals(List.of("null"), storageAuth);
        assertEquals(List.of("GET /bucket/" + d.hex() + "?sig=x"), storage.requests);
    }

    @Test
    void aServerThatIgnoresRangeSendsTheWholeBlobAndThePartialDownloadIsDropped() throws IOException {
        byte[] blob = new byte[5000];
        Arrays.fill(blob, (byte) 7);
        Digest d = Digest.of(blob);
        List<String> ranges = new CopyOnWriteArrayList<>();
        registry.on("/v2/", ex -> {
            ranges.add(String.valueOf(ex.getRequestHeaders().getFirst("Range")));
            respond(ex, 200, Map.of(), blob);
        });
        RegistryClient client = client(1024, null, null);

        try (BlobStream s = client.fetchBlob(ref("app:1"), d, 1200)) {
            assertEquals(0, s.offset());
            assertEquals(5000, s.length());
            assertArrayEquals(blob, s.body().readAllBytes());
        }
        ContentStore store = new ContentStore(tmp.resolve("content"));
        try (ContentStore.Writer w = store.writer("pull-" + d.hex(), d, blob.length)) {
            w.write(new byte[] {7, 7, 7}, 0, 3);
        }
        assertEquals(d, client.pullBlob(ref("app:1"), new Descriptor(MediaTypes.OCI_LAYER, d, blob.length), store));
        assertArrayEquals(blob, store.read(d));
        assertEquals(List.of("bytes=1200-", "bytes=3-"), ranges);
    }

    /** A registry that records upload requests, answering with relative Locations, and checks the result. */
    private ByteArrayOutputStream uploadRegistry(Digest expected) {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        registry.on("/v2/", ex -> {
            String path = ex.getRequestURI().getPath();
            switch (ex.getRequestMethod()) {
                case "HEAD" -> respond(ex, 404, Map.of(), new byte[0]);
                case "POST" -> respond(ex, 202, Map.of("Location", "/v2/app/blobs/uploads/u1?state=0"), new byte[0]);
                case "PATCH" -> {
                    String range = ex.getRequestHeaders().getFirst("Content-Range");
                    byte[] chunk = ex.getRequestBody().readAllBytes();
                    if (!range.equals(received.size() + "-" + (received.size() + chunk.length - 1))) {
                        respond(ex, 416, Map.of(), new byte[0]);
                        return;
                    }
                    received.write(chunk);
                    respond(ex, 202, Map.of("Location", "u1?state=" + received.size()), new byte[0]);
                }
                case "PUT" -> {
                    received.write(ex.getRequestBody().readAllBytes());
                    boolean ok = Digest.of(received.toByteArray()).equals(expected) && path.endsWith("/uploads/u1")
                            && ex.getRequestURI().getQuery().endsWith("&digest=" + expected);
                    respond(ex, ok ? 201 : 400, ok ? Map.of("Docker-Content-Digest", expected.toString()) : Map.of(),
                            ok ? new byte[0] : "{\"errors\":[{\"code\":\"DIGEST_INVALID\",\"message\":\"provided digest did not match uploaded content\"}]}".getBytes());
                }
                default -> respond(ex, 405, Map.of(), new byte[0]);
            }
        });
        return received;
    }

    @Test
    void aBlobAboveTheChunkSizeGoesUpInPatchesFollowingEachLocation() {
        byte[] blob = "0123456789".getBytes(StandardCharsets.UTF_8);
        Descriptor d = new Descriptor(MediaTypes.OCI_LAYER, Digest.of(blob), blob.length);
        ByteArrayOutputStream received = uploadRegistry(d.digest());

        client(4, null, null).pushBlob(ref("app:1"), d, () -> new ByteArrayInputStream(blob), null);
        assertArrayEquals(blob, received.toByteArray());
        assertEquals(List.of("HEAD /v2/app/blobs/" + d.digest(), "POST /v2/app/blobs/uploads/",
                "PATCH /v2/app/blobs/uploads/u1?state=0", "PATCH /v2/app/blobs/uploads/u1?state=4",
                "PATCH /v2/app/blobs/uploads/u1?state=8", "PUT /v2/app/blobs/uploads/u1?state=10&digest=" + encoded(d.digest())), registry.requests);
    }

    @Test
    void aBlobBelowTheChunkSizeGoesUpInOnePut() {
        byte[] blob = "012".getBytes(StandardCharsets.UTF_8);
        Descriptor d = new Descriptor(MediaTypes.OCI_LAYER, Digest.of(blob), blob.length);
        ByteArrayOutputStream received = uploadRegistry(d.digest());

        client(4, null, null).pushBlob(ref("app:1"), d, () -> new ByteArrayInputStream(blob), null);
        assertArrayEquals(blob, received.toByteArray());
        assertEquals(List.of("HEAD /v2/app/blobs/" + d.digest(), "POST /v2/app/blobs/uploads/",
                "PUT /v2/app/blobs/uploads/u1?state=0&digest=" + encoded(d.digest())), registry.requests);
    }

    @Test
    void contentThatDoesNotMatchItsDigestIsRefused() throws IOException {
        Digest claimed = Digest.of("something else".getBytes(StandardCharsets.UTF_8));
        registry.on("/v2/", ex -> respond(ex, 200, Map.of("Docker-Content-Digest", claimed.toString(),
                "Content-Type", MediaTypes.OCI_MANIFEST), MANIFEST));
        RegistryClient client = client(1024, null, null);

        ImageException header = assertThrows(ImageException.class, () -> client.resolve(ref("app:1")));
        assertEquals("pull " + registry.host() + "/app:1: the registry says digest " + claimed + ", the content has "
                + Digest.of(MANIFEST), header.getMessage());
        assertThrows(ImageException.class, () -> client.fetchManifest(ref("app:1"), claimed));

        try (BlobStream s = client.fetchBlob(ref("app:1"), claimed, 0)) {
            ImageException e = assertThrows(ImageException.class, () -> s.body().readAllBytes());
            assertEquals("pull " + registry.host() + "/app@" + claimed + ": content has digest " + Digest.of(MANIFEST)
                    + " (corrupt or tampered)", e.getMessage());
        }
    }

    @Test
    void theMediaTypeComesFromContentTypeElseFromTheBody() {
        registry.on("/v2/", ex -> respond(ex, 200, Map.of("Content-Type", "application/json; charset=utf-8"), MANIFEST));
        Descriptor d = client(1024, null, null).resolve(ref("app:1")).descriptor();
        assertEquals(new Descriptor(MediaTypes.OCI_MANIFEST, Digest.of(MANIFEST), MANIFEST.length), d);
    }

    @Test
    void anUnreachableRegistryIsAOneLineError() {
        RegistryClient client = client(1024, null, null);
        registry.close();
        ImageException e = assertThrows(ImageException.class, () -> client.resolve(ref("app:1")));
        assertTrue(e.getMessage().startsWith("pull " + registry.host() + "/app:1: cannot connect"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
