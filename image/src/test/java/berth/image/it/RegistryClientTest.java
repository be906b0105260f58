package berth.image.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.image.Descriptor;
import berth.image.Digest;
import berth.image.ImageException;
import berth.image.ImageJson;
import berth.image.Manifest;
import berth.image.MediaTypes;
import berth.image.Reference;
import berth.image.content.ContentStore;
import berth.image.registry.BlobStream;
import berth.image.registry.CredentialStore;
import berth.image.registry.Credentials;
import berth.image.registry.RegistryClient;
import berth.image.registry.RegistryHosts;
import berth.image.registry.Resolved;
import berth.image.registry.UnauthorizedException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RegistryClient against Debian's docker-registry (distribution v2.8) on loopback: pushes (monolithic and
 * chunked), resolves, fetches back, mounts across repositories, resumes with Range, authenticates with
 * htpasswd, and reads an image pushed by skopeo.
 */
class RegistryClientTest {
    private static final int CHUNK = 4096;

    private static TestRegistry open;
    private static TestRegistry locked;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startRegistries() throws IOException {
        open = TestRegistry.start();
        locked = TestRegistry.start("berth", "s3cret-pass");
    }

    @AfterAll
    static void stopRegistries() throws IOException {
        if (open != null) open.close();
        if (locked != null) locked.close();
    }

    private RegistryClient client(CredentialStore creds) {
        return new RegistryClient(RegistryClient.newHttpClient(), creds, RegistryHosts.secure(), CHUNK);
    }

    private RegistryClient anonymous() {
        return client(new CredentialStore(tmp.resolve("no-docker-config")));
    }

    /** A config blob, a small layer (one PUT) and a large layer (PATCH chunks), pushed with a manifest. */
    private record Pushed(Descriptor config, Descriptor small, Descriptor large, byte[] manifest, List<byte[]> blobs) {}

    private Pushed pushImage(RegistryClient client, Reference ref) {
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] small = random(CHUNK - 1, 1);
        byte[] large = random(3 * CHUNK + 123, 2);
        Descriptor c = new Descriptor(MediaTypes.OCI_CONFIG, Digest.of(config), config.length);
        Descriptor s = new Descriptor(MediaTypes.OCI_LAYER_GZIP, Digest.of(small), small.length);
        Descriptor l = new Descriptor(MediaTypes.OCI_LAYER_GZIP, Digest.of(large), large.length);
        client.pushBlob(ref, c, bytes(config), null);
        client.pushBlob(ref, s, bytes(small), null);
        client.pushBlob(ref, l, bytes(large), null);
        byte[] manifest = ImageJson.write(Manifest.oci(c, List.of(s, l)));
        Digest pushed = client.pushManifest(ref, MediaTypes.OCI_MANIFEST, manifest);
        assertEquals(Digest.of(manifest), pushed);
        return new Pushed(c, s, l, manifest, List.of(config, small, large));
    }

    @Test
    void pushedImageResolvesByTagAndDigestAndFetchesBackIdentical() throws IOException {
        RegistryClient client = anonymous();
        Reference ref = open.ref("roundtrip/app:1");
        Pushed p = pushImage(client, ref);

        Resolved byTag = client.resolve(ref);
        assertEquals(MediaTypes.OCI_MANIFEST, byTag.descriptor().mediaType());
        assertEquals(Digest.of(p.manifest()), byTag.descriptor().digest());
        assertEquals(p.manifest().length, byTag.descriptor().size());
        assertArrayEquals(p.manifest(), byTag.manifest());

        Resolved byDigest = client.resolve(ref.withDigest(byTag.descriptor().digest()));
        assertArrayEquals(p.manifest(), byDigest.manifest());
        assertArrayEquals(p.manifest(), client.fetchManifest(ref, byTag.descriptor().digest()));

        List<Descriptor> descs = List.of(p.config(), p.small(), p.large());
        for (int i = 0; i < descs.size(); i++) {
            try (BlobStream s = client.fetchBlob(ref, descs.get(i).digest(), 0)) {
                assertEquals(0, s.offset());
                assertEquals(descs.get(i).size(), s.length());
                assertArrayEquals(p.blobs().get(i), s.body().readAllBytes());
            }
        }
        ContentStore store = new ContentStore(tmp.resolve("content"));
        assertEquals(p.large().digest(), client.pullBlob(ref, p.large(), store));
        assertArrayEquals(p.blobs().get(2), store.read(p.large().digest()));
    }

    @Test
    void aBlobTheRepositoryHasIsNotUploadedAgain() {
        RegistryClient client = anonymous();
        Reference ref = open.ref("skip/app:1");
        byte[] blob = random(1000, 3);
        Descriptor d = new Descriptor(MediaTypes.OCI_LAYER_GZIP, Digest.of(blob), blob.length);
        assertFalse(client.blobExists(ref, d.digest()));
        AtomicInteger opened = new AtomicInteger();
        client.pushBlob(ref, d, counting(blob, opened), null);
        assertEquals(1, opened.get());
        assertTrue(client.blobExists(ref, d.digest()));

        client.pushBlob(ref, d, counting(blob, opened), null);
        assertEquals(1, opened.get(), "content was read again for a blob the registry has");
    }

    @Test
    void aBlobIsMountedFromAnotherRepositoryWithoutUploading() {
        RegistryClient client = anonymous();
        Reference source = open.ref("mount/source:1");
        Reference target = open.ref("mount/target:1");
        byte[] blob = random(2 * CHUNK, 4);
        Descriptor d = new Descriptor(MediaTypes.OCI_LAYER_GZIP, Digest.of(blob), blob.length);
        client.pushBlob(source, d, bytes(blob), null);

        AtomicInteger opened = new AtomicInteger();
        client.pushBlob(target, d, counting(blob, opened), source);
        assertEquals(0, opened.get(), "the blob was uploaded instead of mounted");
        assertTrue(client.blobExists(target, d.digest()));

        // A mount the registry cannot do (the source lacks the blob) falls back to an upload.
        byte[] other = random(100, 5);
        Descriptor o = new Descriptor(MediaTypes.OCI_LAYER_GZIP, Digest.of(other), other.length);
        client.pushBlob(target, o, counting(other, opened), open.ref("mount/empty:1"));
        assertEquals(1, opened.get());
        assertTrue(client.blobExists(target, o.digest()));
    }

    @Test
    void aDownloadResumesFromAnOffset() throws IOException {
        RegistryClient client = anonymous();
        Reference ref = open.ref("range/app:1");
        byte[] blob = random(10_000, 6);
        Descriptor d = new Descriptor(MediaTypes.OCI_LAYER_GZIP, Digest.of(blob), blob.length);
        client.pushBlob(ref, d, bytes(blob), null);

        try (BlobStream s = client.fetchBlob(ref, d.digest(), 6000)) {
            assertTrue(s.resumed(), "docker-registry did not honour the Range");
            assertEquals(6000, s.offset());
            assertEquals(4000, s.length());
            assertArrayEquals(Arrays.copyOfRange(blob, 6000, blob.length), s.body().readAllBytes());
        }

        // A partial ingest (an interrupted pull) is completed from where it stopped.
        ContentStore store = new ContentStore(tmp.resolve("content"));
        try (ContentStore.Writer w = store.writer("pull-" + d.digest().hex(), d.digest(), d.size())) {
            w.write(blob, 0, 2500);
        }
        assertEquals(d.digest(), client.pullBlob(ref, d, store));
        assertArrayEquals(blob, store.read(d.digest()));

        // An offset at the end (the partial is whole) starts over instead of failing.
        try (BlobStream s = client.fetchBlob(ref, d.digest(), blob.length)) {
            assertEquals(0, s.offset());
            assertArrayEquals(blob, s.body().readAllBytes());
        }
    }

    @Test
    void errorsAreOneLineWithTheRegistrysCode() {
        RegistryClient client = anonymous();
        Reference missing = open.ref("errors/app:nope");
        ImageException.NotFound e = assertThrows(ImageException.NotFound.class, () -> client.resolve(missing));
        assertEquals("pull " + open.host() + "/errors/app:nope: manifest unknown (MANIFEST_UNKNOWN)", e.getMessage());

        Digest absent = Digest.of(new byte[] {42});
        ImageException.NotFound b = assertThrows(ImageException.NotFound.class, () -> client.fetchBlob(missing, absent, 0));
        assertEquals("pull " + open.host() + "/errors/app@" + absent + ": blob unknown to registry (BLOB_UNKNOWN)", b.getMessage());

        byte[] manifest = ImageJson.write(Manifest.oci(new Descriptor(MediaTypes.OCI_CONFIG, absent, 1), List.of()));
        ImageException m = assertThrows(ImageException.class,
                () -> client.pushManifest(open.ref("errors/app:1"), MediaTypes.OCI_MANIFEST, manifest));
        assertTrue(m.getMessage().startsWith("push " + open.host() + "/errors/app:1: "), m.getMessage());
        assertTrue(m.getMessage().contains("(MANIFEST_BLOB_UNKNOWN)"), m.getMessage());
    }

    @Test
    void aRegistryBehindHtpasswdRefusesAnonymousAndAcceptsItsUser() throws IOException {
        Reference ref = locked.ref("auth/app:1");
        UnauthorizedException anon = assertThrows(UnauthorizedException.class, () -> anonymous().resolve(ref));
        assertEquals("pull " + ref + ": unauthorized: authentication required; run `berth login " + locked.host() + "`",
                anon.getMessage());

        RegistryClient checker = anonymous();
        UnauthorizedException wrong = assertThrows(UnauthorizedException.class,
                () -> checker.checkLogin(locked.host(), new Credentials(locked.user(), "wrong")));
        assertTrue(wrong.getMessage().startsWith("login to " + locked.host() + " failed: unauthorized: "), wrong.getMessage());
        checker.checkLogin(locked.host(), new Credentials(locked.user(), locked.password()));

        CredentialStore creds = new CredentialStore(tmp.resolve("docker-config"));
        creds.store(locked.host(), locked.user(), locked.password());
        RegistryClient client = client(creds);
        Pushed p = pushImage(client, ref);
        assertArrayEquals(p.manifest(), client.resolve(ref).manifest());
        try (BlobStream s = client.fetchBlob(ref, p.large().digest(), 0)) {
            assertArrayEquals(p.blobs().get(2), s.body().readAllBytes());
        }

        creds.store(locked.host(), locked.user(), "changed");
        assertThrows(UnauthorizedException.class, () -> client(creds).resolve(ref));
    }

    @Test
    void anImagePushedBySkopeoResolvesAndItsBlobsVerify() throws IOException {
        Path layout = umociImage(tmp.resolve("layout"), "t");
        locked.pushOciLayout(layout, "t", "skopeo/app:v1");

        CredentialStore creds = new CredentialStore(tmp.resolve("docker-config"));
        creds.store(locked.host(), locked.user(), locked.password());
        RegistryClient client = client(creds);
        Reference ref = locked.ref("skopeo/app:v1");
        Resolved r = client.resolve(ref);
        assertTrue(MediaTypes.isManifest(r.descriptor().mediaType()), r.descriptor().mediaType());
        assertEquals(Digest.of(r.manifest()), r.descriptor().digest());

        Manifest m = ImageJson.read(r.manifest(), Manifest.class, "manifest");
        assertEquals(1, m.layers().size());
        String config = new String(fetchWhole(client, ref, m.config()), StandardCharsets.UTF_8);
        assertTrue(config.contains("/bin/sh"), config);
        byte[] layer = fetchWhole(client, ref, m.layers().getFirst());
        assertEquals(m.layers().getFirst().digest(), Digest.of(layer));

        // The same image resolves by the digest skopeo gave it.
        assertArrayEquals(r.manifest(), client.resolve(ref.withDigest(r.descriptor().digest())).manifest());
        assertThrows(ImageException.NotFound.class, () -> client.resolve(locked.ref("skopeo/app:v2")));
    }

    private static byte[] fetchWhole(RegistryClient client, Reference ref, Descriptor d) throws IOException {
        try (BlobStream s = client.fetchBlob(ref, d.digest(), 0)) {
            byte[] b = s.body().readAllBytes(); // reading to the end verifies the digest
            assertEquals(d.size(), b.length);
            return b;
        }
    }

    /** An OCI layout made by umoci: one layer holding /hello.txt, a config with cmd /bin/sh. */
    private static Path umociImage(Path layout, String tag) throws IOException {
        Path work = Files.createDirectories(layout.resolveSibling("umoci-work"));
        String image = layout + ":" + tag;
        TestRegistry.run(work, "umoci", "init", "--layout", layout.toString());
        TestRegistry.run(work, "umoci", "new", "--image", image);
        Path bundle = work.resolve("bundle");
        TestRegistry.run(work, "umoci", "unpack", "--rootless", "--image", image, bundle.toString());
        Files.writeString(bundle.resolve("rootfs/hello.txt"), "hello from umoci\n");
        TestRegistry.run(work, "umoci", "repack", "--image", image, bundle.toString());
        TestRegistry.run(work, "umoci", "config", "--image", image, "--config.cmd=/bin/sh");
        return layout;
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static Supplier<InputStream> bytes(byte[] b) {
        return () -> new ByteArrayInputStream(b);
    }

    private static Supplier<InputStream> counting(byte[] b, AtomicInteger opened) {
        return () -> {
            opened.incrementAndGet();
            return new ByteArrayInputStream(b);
        };
    }
}
