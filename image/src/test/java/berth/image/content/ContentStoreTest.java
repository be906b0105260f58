package berth.image.content;

import berth.image.Digest;
import berth.image.ImageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContentStoreTest {
    @TempDir
    Path dir;

    private static final byte[] DATA = "hello, content store".getBytes(StandardCharsets.UTF_8);

    @Test
    void verifiedBlobsBecomeVisible() {
        ContentStore store = new ContentStore(dir);
        Digest d = store.put(DATA);
        assertEquals(Digest.of(DATA), d);
        assertTrue(store.exists(d));
        assertArrayEquals(DATA, store.read(d));
        assertEquals(DATA.length, store.size(d));
        assertEquals(1, store.list().size());
    }

    @Test
    void aWrongDigestIsNeverVisibleAndIsDiscarded() {
        ContentStore store = new ContentStore(dir);
        Digest claimed = Digest.of("something else".getBytes());
        try (ContentStore.Writer w = store.writer("x", claimed, DATA.length)) {
            w.write(DATA, 0, DATA.length);
            ImageException e = assertThrows(ImageException.class, w::commit);
            assertTrue(e.getMessage().contains("corrupt or tampered"), e.getMessage());
        }
        assertFalse(store.exists(claimed));
        assertFalse(store.exists(Digest.of(DATA)));
        assertFalse(Files.exists(dir.resolve("ingest/x/data")));
    }

    @Test
    void aWrongSizeIsRefused() {
        ContentStore store = new ContentStore(dir);
        try (ContentStore.Writer w = store.writer("y", Digest.of(DATA), DATA.length + 1)) {
            w.write(DATA, 0, DATA.length);
            assertThrows(ImageException.class, w::commit);
        }
        try (ContentStore.Writer w = store.writer("z", Digest.of(DATA), 3)) {
            assertThrows(ImageException.class, () -> w.write(DATA, 0, DATA.length));
        }
    }

    @Test
    void anInterruptedIngestResumesWhereItStopped() {
        ContentStore store = new ContentStore(dir);
        Digest d = Digest.of(DATA);
        try (ContentStore.Writer w = store.writer("resume", d, DATA.length)) {
            w.write(DATA, 0, 5);
            // closed without commit: a crash or a dropped connection
        }
        try (ContentStore.Writer w = store.writer("resume", d, DATA.length)) {
            assertEquals(5, w.offset());
            w.write(DATA, 5, DATA.length - 5);
            assertEquals(d, w.commit());
        }
        assertArrayEquals(DATA, store.read(d));
    }

    @Test
    void cleanIngestKeepsYoungPartialsAndDropsOldOnes() throws Exception {
        ContentStore store = new ContentStore(dir);
        try (ContentStore.Writer w = store.writer("partial", Digest.of(DATA), DATA.length)) {
            w.write(DATA, 0, 3);
        }
        store.cleanIngest(Duration.ofDays(1));
        assertTrue(Files.exists(dir.resolve("ingest/partial/data")));
        store.cleanIngest(Duration.ZERO.minusSeconds(1));
        assertFalse(Files.exists(dir.resolve("ingest/partial")));
    }
}
