package berth.image.it;

import berth.image.ImageConfig;
import berth.image.ImageService;
import berth.image.ImageStore;
import berth.image.snapshot.Mount;
import berth.image.snapshot.Mounter;
import berth.sys.LinuxSyscalls;
import berth.image.archive.TarWriting;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An image deeper than mount(2)'s one page of options still mounts (the new mount API takes lowers one by one). */
class DeepStackTest {
    private static final int LAYERS = 80;

    @Test
    void eightyLayersMountAsOneOverlay(@TempDir Path root) throws Exception {
        ImageService svc = new ImageService(root, new LinuxSyscalls(), "overlay2");
        ImageStore.Image img = null;
        for (int i = 0; i < LAYERS; i++) {
            img = svc.createImage(img, new ByteArrayInputStream(tarWith("layer-" + i, i == LAYERS - 1 ? "layer-0" : null)),
                    null, new ImageConfig.History(null, "layer " + i, null, null, null), null);
        }
        assertEquals(LAYERS, svc.config(img).diffIds().size());
        List<Mount> mounts = svc.snapshots().rootfs(svc.topChain(img), List.of(), root.resolve("rw"));
        assertTrue(String.join(",", mounts.getFirst().options()).length() > 4096, "the options exceed one page");

        Path merged = Files.createDirectories(root.resolve("merged"));
        Mounter mounter = new Mounter(new LinuxSyscalls());
        mounter.mount(mounts, merged);
        try {
            assertEquals("layer-1", Files.readString(merged.resolve("layer-1")));
            assertEquals("layer-" + (LAYERS - 2), Files.readString(merged.resolve("layer-" + (LAYERS - 2))));
            assertFalse(Files.exists(merged.resolve("layer-0")), "the top layer's whiteout hides the bottom layer's file");
            Files.writeString(merged.resolve("written"), "rw");
            assertEquals("rw", Files.readString(root.resolve("rw/fs/written")));
        } finally {
            mounter.unmount(merged);
        }
    }

    /** A layer with one file {@code name} (content: its name), and a whiteout for {@code delete} if given. */
    private static byte[] tarWith(String name, String delete) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            TarWriting.file(tar, name, name.getBytes(), 0100644);
            if (delete != null) TarWriting.file(tar, ".wh." + delete, new byte[0], 0100644);
        }
        return bytes.toByteArray();
    }
}
