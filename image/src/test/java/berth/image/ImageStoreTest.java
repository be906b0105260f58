package berth.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageStoreTest {
    @TempDir
    Path dir;

    private static ImageStore.Image image(char c) {
        Digest id = new Digest("sha256", String.valueOf(c).repeat(64));
        return new ImageStore.Image(id, id, null, List.of(), List.of(), "2026-01-01T00:00:00Z", null);
    }

    @Test
    void aTagMovesFromOneImageToAnother() {
        ImageStore store = new ImageStore(dir);
        Reference tag = Reference.parse("app:1");
        store.put(image('a'), tag);
        store.put(image('b'), tag);
        assertEquals(List.of(), store.get(image('a').id()).orElseThrow().repoTags());
        assertEquals(List.of("docker.io/library/app:1"), store.get(image('b').id()).orElseThrow().repoTags());
        assertEquals(image('b').id(), store.find("app:1").orElseThrow().id());
    }

    @Test
    void findsByShortIdFullIdAndName() {
        ImageStore store = new ImageStore(dir);
        store.put(image('c'), Reference.parse("127.0.0.1:5000/x/y:z"));
        assertTrue(store.find("cccc").isPresent());
        assertTrue(store.find("sha256:" + "c".repeat(64)).isPresent());
        assertTrue(store.find("127.0.0.1:5000/x/y:z").isPresent());
        assertTrue(store.find("x/y:z").isEmpty());
        assertTrue(store.find("nothing").isEmpty());
    }

    @Test
    void ambiguousShortIdsAreAConflict() {
        ImageStore store = new ImageStore(dir);
        Digest a = new Digest("sha256", "ab" + "0".repeat(62));
        Digest b = new Digest("sha256", "ab" + "1".repeat(62));
        store.put(new ImageStore.Image(a, a, null, List.of(), List.of(), "t", null), null);
        store.put(new ImageStore.Image(b, b, null, List.of(), List.of(), "t", null), null);
        assertThrows(ImageException.Conflict.class, () -> store.find("ab"));
    }

    @Test
    void untagLeavesADanglingImage() {
        ImageStore store = new ImageStore(dir);
        store.put(image('d'), Reference.parse("d:1"));
        ImageStore.Image after = store.untag(Reference.parse("d:1")).orElseThrow();
        assertTrue(after.dangling());
        assertTrue(store.untag(Reference.parse("d:1")).isEmpty());
    }
}
