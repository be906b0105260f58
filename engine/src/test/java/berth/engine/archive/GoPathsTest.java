package berth.engine.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GoPathsTest {
    @Test
    void cleanIsGosPathClean() {
        assertEquals("/", GoPaths.clean("/"));
        assertEquals("/", GoPaths.clean("/.."));
        assertEquals("/x", GoPaths.clean("/../x"));
        assertEquals("../x", GoPaths.clean("../x"));
        assertEquals("../../x", GoPaths.clean("a/../../../x"));
        assertEquals("a/c", GoPaths.clean("a//b/./../c/"));
        assertEquals(".", GoPaths.clean(""));
        assertEquals(".", GoPaths.clean("./"));
    }

    @Test
    void baseIsGosFilepathBase() {
        assertEquals("/", GoPaths.base("/"));
        assertEquals("/", GoPaths.base("///"));
        assertEquals("b", GoPaths.base("/a/b/"));
        assertEquals(".", GoPaths.base("/a/."));
        assertEquals(".", GoPaths.base(""));
        assertEquals("a", GoPaths.base("a"));
    }

    @Test
    void trailingDotOrSeparatorSurvivesCleaning() {
        assertEquals("/a/.", GoPaths.preserveTrailingDotOrSeparator(GoPaths.clean("/a/."), "/a/."));
        assertEquals("/a/", GoPaths.preserveTrailingDotOrSeparator(GoPaths.clean("/a/"), "a/"));
        assertEquals("/.", GoPaths.preserveTrailingDotOrSeparator(GoPaths.clean("/."), "."));
        assertEquals("/a", GoPaths.preserveTrailingDotOrSeparator(GoPaths.clean("/a"), "a"));
        assertTrue(GoPaths.assertsDirectory("/a/."));
        assertTrue(GoPaths.assertsDirectory("/a/"));
        assertFalse(GoPaths.assertsDirectory("/a"));
    }

    @Test
    void withinComparesWholeComponents() {
        assertTrue(GoPaths.within("/a/b", "/a"));
        assertTrue(GoPaths.within("/a", "/a"));
        assertTrue(GoPaths.within("/x", "/"));
        assertFalse(GoPaths.within("/ab", "/a"));
    }
}
