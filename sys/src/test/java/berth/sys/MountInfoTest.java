package berth.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MountInfoTest {
    @Test
    void octalEscapesOfSpaceTabNewlineAndBackslashAreDecoded() {
        assertEquals("/a b\tc\nd\\e", MountInfo.unescape("/a\\040b\\011c\\012d\\134e"));
        assertEquals("/plain", MountInfo.unescape("/plain"));
    }

    @Test
    void procIsAMountPointAndAFreshDirectoryIsNot(@TempDir Path dir) {
        assertTrue(MountInfo.isMountPoint(Path.of("/proc")));
        assertTrue(MountInfo.mountPoints().contains("/"));
        assertFalse(MountInfo.isMountPoint(dir));
    }
}
