package berth.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import berth.engine.volumes.Volumes;
import berth.sys.LinuxSyscalls;
import berth.sys.Syscalls;

/** A {@code type=tmpfs} volume really mounted while it is used, and gone with its contents after the last use (needs root). */
class VolumeTmpfsTest {
    private static final int MNT_DETACH = 2;
    private final Syscalls sys = new LinuxSyscalls();
    @TempDir
    Path tmp;

    @Test
    void tmpfsVolumeLivesWhileUsed() throws Exception {
        Volumes volumes = new Volumes(tmp.resolve("volumes"), sys);
        volumes.create("scratch", null, Map.of(), Map.of("type", "tmpfs", "device", "tmpfs", "o", "size=1m,mode=0700"));
        Path data = volumes.mount("scratch");
        try {
            assertTrue(mounted(data), data + " is a mount point");
            assertEquals(0040700, Files.getAttribute(data, "unix:mode"), "the o= data reached tmpfs");
            Files.writeString(data.resolve("f"), "in tmpfs");
            volumes.mount("scratch");
            volumes.unmount("scratch");
            assertTrue(mounted(data), "still used once");
            volumes.unmount("scratch");
            assertFalse(mounted(data));
            assertFalse(Files.exists(data.resolve("f")), "the tmpfs went with its contents");
            Path again = volumes.mount("scratch");
            volumes.unmount("scratch");
            assertEquals(data, again);
            volumes.remove("scratch", false, n -> List.of());
            assertFalse(Files.exists(data));
        } finally {
            if (mounted(data)) sys.umount(data.toString(), MNT_DETACH);
        }
    }

    private static boolean mounted(Path p) throws Exception {
        String target = " " + p.toAbsolutePath() + " ";
        return Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8).stream().anyMatch(l -> l.contains(target));
    }
}
