package berth.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import berth.image.Digest;
import berth.image.ImageException;
import berth.image.ImageService;
import berth.image.ImageStore;
import berth.image.snapshot.ChainIds;
import berth.image.snapshot.Mounter;
import berth.image.snapshot.Snapshotter;
import berth.sys.LinuxSyscalls;

/**
 * Checks a daemon's image store while no daemon runs on it, through the image module's own readers: every
 * blob the content store lists hashes to its name, every committed snapshot of {@link BigImage} mounts (read
 * only, as a container's lower layers would) and holds its layers' files whole, and every image record refers
 * to blobs and snapshots that exist. What a crash may leave half-done (ingests, prepared snapshots) the store
 * does not list, so {@link #partialIngests} and {@link #preparedSnapshots} read the layout of architecture.md.
 */
final class StoreCheck {
    private final Path root;
    private final Path mountPoint;
    private final Mounter mounter = new Mounter(new LinuxSyscalls());

    /** A check of the store in {@code root} that mounts snapshots on the empty directory {@code mountPoint}. */
    StoreCheck(Path root, Path mountPoint) {
        this.root = root;
        this.mountPoint = mountPoint;
    }

    /** Fails the test unless the store is consistent; {@code image} is the only image ever pulled into it. */
    void assertConsistent(BigImage image) throws IOException {
        ImageService store = new ImageService(root, new LinuxSyscalls(), null);
        for (Digest blob : store.content().list()) {
            try (InputStream in = store.content().open(blob)) {
                assertEquals(blob, sha256(in), "blob " + blob + " hashes to its name");
            }
        }
        Snapshotter snapshots = store.snapshots();
        for (Digest chain : snapshots.list()) {
            int layer = image.chains().indexOf(chain);
            assertTrue(layer >= 0, "snapshot " + chain + " is a layer of the pulled image " + image.chains());
            assertMountsWhole(snapshots, chain, image.files().subList(0, layer + 1));
        }
        for (ImageStore.Image img : store.list()) {
            assertTrue(store.content().exists(img.manifest()), "image " + img.id() + ": its manifest is stored");
            assertTrue(store.content().exists(img.id()), "image " + img.id() + ": its config is stored");
            for (Digest chain : ChainIds.of(store.config(img).diffIds())) {
                assertTrue(snapshots.exists(chain), "image " + img.id() + ": its layer " + chain + " is unpacked");
            }
        }
    }

    /** Mounts {@code chain} read-only and checks that it holds every file of {@code layers}, byte for byte. */
    private void assertMountsWhole(Snapshotter snapshots, Digest chain, List<Map<String, String>> layers) throws IOException {
        try {
            mounter.mount(snapshots.rootfs(chain, List.of(), null), mountPoint);
        } catch (ImageException.NotFound e) {
            fail("committed snapshot " + chain + " cannot be mounted: " + e.getMessage());
        }
        try {
            for (Map<String, String> files : layers) {
                for (Map.Entry<String, String> f : files.entrySet()) {
                    Path file = mountPoint.resolve(f.getKey());
                    assertTrue(Files.isRegularFile(file), "snapshot " + chain + " has /" + f.getKey());
                    try (InputStream in = Files.newInputStream(file)) {
                        assertEquals(f.getValue(), sha256(in).hex(), "snapshot " + chain + ": /" + f.getKey() + " is whole");
                    }
                }
            }
        } finally {
            mounter.unmount(mountPoint);
        }
    }

    /**
     * The partial downloads in the store ({@code content/ingest/<ref>/data}) and their sizes; also read while a
     * pull runs, when a download may be published (renamed away) at any moment.
     */
    Map<Path, Long> partialIngests() throws IOException {
        Map<Path, Long> out = new TreeMap<>();
        for (Path ingest : entries(root.resolve("content/ingest"))) {
            Path data = ingest.resolve("data");
            try {
                out.put(data, Files.size(data));
            } catch (NoSuchFileException notThere) {
                // no download under this ref, or it was just published
            }
        }
        return out;
    }

    /** Snapshots being unpacked or left half-unpacked by a crash ({@code snapshots/.tmp-*} and the like). */
    List<Path> preparedSnapshots() throws IOException {
        return entries(root.resolve("snapshots")).stream().filter(p -> p.getFileName().toString().startsWith(".")).toList();
    }

    private static List<Path> entries(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(out::add);
        }
        return out;
    }

    private static Digest sha256(InputStream in) throws IOException {
        MessageDigest md = Digest.sha256();
        try (DigestInputStream digesting = new DigestInputStream(in, md)) {
            digesting.transferTo(OutputStream.nullOutputStream());
        }
        return Digest.of(md);
    }
}
