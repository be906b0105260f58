package berth.image.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EntryNameTest {

    @Test
    void namesAreMadeRelativeAndClean() throws LayerException {
        assertEquals("a/b/c", EntryName.normalise("/a/./b//c/"));
        assertEquals("a/b/c", EntryName.normalise("./a/b/c"));
        assertEquals("b", EntryName.normalise("a/../b"));
        assertEquals("", EntryName.normalise("./"));
        assertEquals("", EntryName.normalise("a/.."));
        assertEquals("..a/b..", EntryName.normalise("..a/b.."));
    }

    @Test
    void namesThatClimbOutOrHoldNulAreRefused() {
        assertEquals("layer entry \"..\": path escapes the layer",
                assertThrows(LayerException.class, () -> EntryName.normalise("..")).getMessage());
        assertThrows(LayerException.class, () -> EntryName.normalise("/../x"));
        assertThrows(LayerException.class, () -> EntryName.normalise("a/../../x"));
        assertEquals("layer entry \"a\\x00b\": name contains a NUL byte",
                assertThrows(LayerException.class, () -> EntryName.normalise("a\0b")).getMessage());
    }

    @Test
    void parentAndBase() {
        assertEquals("a/b", EntryName.parent("a/b/c"));
        assertEquals("", EntryName.parent("c"));
        assertEquals("c", EntryName.base("a/b/c"));
        assertEquals("a/c", EntryName.join("a", "c"));
        assertEquals("c", EntryName.join("", "c"));
    }
}
