package berth.engine.volumes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import berth.sys.RecordingSyscalls;

/** The mount(2) calls a volume with driver options makes, counted per use, against a recording fake. */
class VolumeMountsTest {
    @TempDir
    Path tmp;
    private final RecordingSyscalls sys = new RecordingSyscalls();
    private Volumes volumes;

    @BeforeEach
    void open() {
        volumes = new Volumes(tmp.resolve("volumes"), sys);
    }

    private List<String> mounts() {
        return sys.calls().stream().filter(c -> c.name().startsWith("mount") || c.name().startsWith("umount")).map(Object::toString).toList();
    }

    @Test
    void tmpfsIsMountedByTheFirstUseAndUnmountedAfterTheLast() {
        volumes.create("scratch", null, Map.of(), Map.of("type", "tmpfs", "device", "tmpfs", "o", "size=100m,uid=1000,noexec"));
        String data = tmp.resolve("volumes/scratch/_data").toString();
        assertEquals(Path.of(data), volumes.mount("scratch"));
        volumes.mount("scratch");
        volumes.unmount("scratch");
        assertEquals(List.of("mount [tmpfs, " + data + ", tmpfs, " + MountOptions.MS_NOEXEC + ", size=100m,uid=1000]"), mounts());
        assertEquals("remove scratch: volume has active mounts",
                assertThrows(VolumeException.Conflict.class, () -> volumes.remove("scratch", false, n -> List.of())).getMessage());
        volumes.unmount("scratch");
        assertEquals("umount [" + data + ", 0]", mounts().getLast());
    }

    @Test
    void readOnlyBindIsRemounted() {
        volumes.create("host", null, Map.of(), Map.of("type", "none", "device", "/srv/shared", "o", "bind,ro,rprivate"));
        String data = volumes.mount("host").toString();
        long bindRo = MountOptions.MS_BIND | MountOptions.MS_RDONLY | MountOptions.MS_REC;
        assertEquals(List.of(
                "mount [/srv/shared, " + data + ", none, " + bindRo + ", ]",
                "mount [none, " + data + ", , " + (MountOptions.MS_PRIVATE | MountOptions.MS_REC) + ", ]",
                "mount [none, " + data + ", , " + (bindRo | MountOptions.MS_REMOUNT) + ", ]"), mounts());
    }

    @Test
    void plainVolumesNeedNoMount() {
        volumes.create("plain", null, Map.of(), Map.of());
        volumes.mount("plain");
        volumes.unmount("plain");
        assertEquals(List.of(), mounts());
        assertThrows(VolumeException.NotFound.class, () -> volumes.mount("missing"));
    }

    @Test
    void optionWordsBecomeFlagsAndTheRestData() {
        assertEquals(new MountOptions(MountOptions.MS_BIND | MountOptions.MS_REC, 0, null), MountOptions.parse("rbind"));
        assertEquals(new MountOptions(MountOptions.MS_NOSUID, 0, "addr=10.0.0.1,nfsvers=4"), MountOptions.parse("addr=10.0.0.1,ro,rw,nosuid,nfsvers=4"));
        assertEquals(new MountOptions(0, 0, null), MountOptions.parse(null));
    }
}
