package berth.image.it;

import berth.image.Descriptor;
import berth.image.Digest;
import berth.image.ImageConfig;
import berth.image.ImageService;
import berth.image.ImageStore;
import berth.image.ImageViews;
import berth.image.Manifest;
import berth.image.Platform;
import berth.image.Progress;
import berth.image.Reference;
import berth.image.registry.CredentialStore;
import berth.image.registry.RegistryClient;
import berth.image.registry.RegistryHosts;
import berth.image.snapshot.Mount;
import berth.image.snapshot.Mounter;
import berth.image.snapshot.Tree;
import berth.sys.LinuxSyscalls;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pull and push against a real registry (docker-registry) of an image made by umoci and pushed by skopeo,
 * through berth's ImageService; the unpacked layers are checked through a real overlay mount.
 */
class ImagePullPushTest {
    static Path work;
    static TestRegistry registry;
    static UmociImage image;

    @BeforeAll
    static void setUp() throws Exception {
        work = Files.createTempDirectory("berth-pull-it-");
        registry = TestRegistry.start();
        image = UmociImage.build(work);
        registry.pushOciLayout(image.layout(), UmociImage.TAG, "umoci/test:1");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (registry != null) registry.close();
        if (work != null) Tree.delete(work);
    }

    private static RegistryClient client(Path configDir) {
        return new RegistryClient(RegistryClient.newHttpClient(), new CredentialStore(configDir), new RegistryHosts(Set.of()));
    }

    @Test
    void pullUnpacksWhiteoutsAndOpaqueDirectoriesLikeOverlayWould(@TempDir Path root) throws Exception {
        ImageService svc = new ImageService(root, new LinuxSyscalls(), "overlay2");
        Reference ref = registry.ref("umoci/test:1");
        ImageStore.Image img = svc.pull(ref, Platform.LINUX_AMD64, client(root.resolve("cfg")), Progress.NONE);

        ImageConfig cfg = svc.config(img);
        assertEquals(3, cfg.diffIds().size());
        assertEquals(List.of("/bin/sh", "-c", "echo hello"), cfg.config().cmd());
        assertEquals(List.of(ref.toString()), img.repoTags());

        Manifest m = svc.manifest(img);
        for (Descriptor l : m.layers()) {
            assertArrayEquals(Files.readAllBytes(image.layout().resolve("blobs/sha256/" + l.digest().hex())),
                    svc.content().read(l.digest()), "layer blob " + l.digest() + " is byte-identical to umoci's");
        }

        Path merged = Files.createDirectories(root.resolve("merged"));
        Mounter mounter = new Mounter(new LinuxSyscalls());
        List<Mount> mounts = svc.snapshots().rootfs(svc.topChain(img), List.of(), root.resolve("rw"));
        mounter.mount(mounts, merged);
        try {
            assertEquals("keep\n", Files.readString(merged.resolve("data/keep")));
            assertEquals("added\n", Files.readString(merged.resolve("data/added")));
            assertFalse(Files.exists(merged.resolve("data/gone"), LinkOption.NOFOLLOW_LINKS), "whiteout hides data/gone");
            assertFalse(Files.exists(merged.resolve("opq/old"), LinkOption.NOFOLLOW_LINKS), "opaque dir hides opq/old");
            assertEquals("new\n", Files.readString(merged.resolve("opq/new")));
            assertEquals(04755, (int) Files.getAttribute(merged.resolve("bin/ro"), "unix:mode") & 07777);
            assertEquals(1000, (int) Files.getAttribute(merged.resolve("bin/ro"), "unix:uid"));
            assertEquals(Path.of("busybox"), Files.readSymbolicLink(merged.resolve("bin/sh")));
        } finally {
            mounter.unmount(merged);
        }

        ObjectNode inspect = new ImageViews(svc).inspect(img);
        assertEquals(img.id().toString(), inspect.get("Id").asText());
        assertEquals(registry.host() + "/umoci/test:1", inspect.get("RepoTags").get(0).asText());
        assertEquals(3, inspect.get("RootFS").get("Layers").size());
        assertEquals("overlay2", inspect.get("GraphDriver").get("Name").asText());
        assertEquals("echo hello", inspect.get("Config").get("Cmd").get(2).asText());
        assertTrue(inspect.get("Size").asLong() > 1_000_000, "busybox is in the size");
    }

    @Test
    void pushedImagesPullBackByDigestToTheSameImage(@TempDir Path root, @TempDir Path other) throws Exception {
        ImageService svc = new ImageService(root, new LinuxSyscalls(), "overlay2");
        RegistryClient client = client(root.resolve("cfg"));
        ImageStore.Image img = svc.pull(registry.ref("umoci/test:1"), Platform.LINUX_AMD64, client, Progress.NONE);
        Reference target = registry.ref("berth/pushed:2");
        svc.tag(img.id().toString(), target.toString());
        Digest pushed = svc.push(target, client, Progress.NONE);
        assertEquals(img.manifest(), pushed);

        ImageService fresh = new ImageService(other, new LinuxSyscalls(), "vfs");
        ImageStore.Image again = fresh.pull(target.withDigest(pushed), Platform.LINUX_AMD64, client(other.resolve("cfg")), Progress.NONE);
        assertEquals(img.id(), again.id());
        for (Descriptor l : svc.manifest(img).layers()) {
            assertArrayEquals(svc.content().read(l.digest()), fresh.content().read(l.digest()));
        }
        Path top = other.resolve("snapshots").resolve(fresh.topChain(again).hex()).resolve("fs");
        assertFalse(Files.exists(top.resolve("data/gone")), "vfs applies the whiteout");
        assertFalse(Files.exists(top.resolve("opq/old")), "vfs applies the opaque dir");
        assertEquals("new\n", Files.readString(top.resolve("opq/new")));
        assertEquals("keep\n", Files.readString(top.resolve("data/keep")));
    }

    @Test
    void aSecondPullFindsEveryLayerPresent(@TempDir Path root) throws Exception {
        ImageService svc = new ImageService(root, new LinuxSyscalls(), "overlay2");
        RegistryClient client = client(root.resolve("cfg"));
        svc.pull(registry.ref("umoci/test:1"), Platform.LINUX_AMD64, client, Progress.NONE);
        StringBuilder statuses = new StringBuilder();
        svc.pull(registry.ref("umoci/test:1"), Platform.LINUX_AMD64, client, new Progress() {
            @Override
            public void layer(String id, String status, long current, long total) {
                statuses.append(status).append('\n');
            }

            @Override
            public void line(String text) {
                statuses.append(text).append('\n');
            }
        });
        assertEquals(3, statuses.toString().lines().filter(l -> l.equals("Already exists")).count(), statuses.toString());
        assertTrue(statuses.toString().contains("Image is up to date"), statuses.toString());
    }

    @Test
    void layersWhoseDownloadEndedJustBeforeACrashAreNotFetchedAgain(@TempDir Path first, @TempDir Path second) throws Exception {
        ImageService done = new ImageService(first, new LinuxSyscalls(), "overlay2");
        ImageStore.Image img = done.pull(registry.ref("umoci/test:1"), Platform.LINUX_AMD64, client(first.resolve("cfg")), Progress.NONE);
        ImageService crashed = new ImageService(second, new LinuxSyscalls(), "overlay2");
        List<Descriptor> layers = done.manifest(img).layers();
        for (Descriptor layer : layers) {
            // the whole blob in its ingest, not yet committed: what a kill after the last byte leaves
            try (var w = crashed.content().writer("pull-" + layer.digest().hex(), layer.digest(), layer.size())) {
                byte[] all = done.content().read(layer.digest());
                w.write(all, 0, all.length);
            }
        }
        StringBuilder statuses = new StringBuilder();
        ImageStore.Image again = crashed.pull(registry.ref("umoci/test:1"), Platform.LINUX_AMD64, client(second.resolve("cfg")), new Progress() {
            @Override
            public void layer(String id, String status, long current, long total) {
                statuses.append(id).append(' ').append(status).append('\n');
            }

            @Override
            public void line(String text) {
                statuses.append(text).append('\n');
            }
        });
        assertEquals(img.id(), again.id());
        assertFalse(statuses.toString().contains("Downloading"), statuses.toString());
        for (Descriptor layer : layers) assertTrue(crashed.content().exists(layer.digest()), layer.digest().toString());
    }
}
