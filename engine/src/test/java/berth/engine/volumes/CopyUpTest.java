package berth.engine.volumes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import berth.engine.archive.Trees;
import berth.sys.LinuxSyscalls;
import berth.sys.Syscalls;

/** Pre-populating a new volume from the image's directory, owners, modes, times and xattrs included (runs as root). */
class CopyUpTest {
    private final Syscalls sys = new LinuxSyscalls();
    @TempDir
    Path tmp;
    private Path rootfs;
    private Volumes volumes;

    @BeforeEach
    void image() throws Exception {
        rootfs = Files.createDirectory(tmp.resolve("rootfs"));
        Path data = Files.createDirectories(rootfs.resolve("run/app"));
        Files.createSymbolicLink(Files.createDirectory(rootfs.resolve("var")).resolve("run"), Path.of("../run"));
        Files.writeString(data.resolve("conf"), "x=1\n");
        own(data.resolve("conf"), 70, 70, 0640);
        Files.createLink(data.resolve("conf.bak"), data.resolve("conf"));
        Path sub = Files.createDirectory(data.resolve("sub"));
        own(sub, 999, 998, 02750);
        Files.writeString(sub.resolve("tool"), "#!/bin/sh\n");
        own(sub.resolve("tool"), 0, 0, 04755);
        Files.createSymbolicLink(sub.resolve("link"), Path.of("/etc/passwd"));
        Files.setAttribute(sub.resolve("link"), "unix:uid", 5, LinkOption.NOFOLLOW_LINKS);
        sys.mknod(sub.resolve("fifo").toString(), 0010620, 0, 0);
        sys.lsetxattr(data.resolve("conf").toString(), "user.origin", "image".getBytes(StandardCharsets.UTF_8));
        own(data, 70, 71, 01777);
        long t = Instant.parse("2018-08-08T08:08:08.123456789Z").getEpochSecond() * 1_000_000_000L + 123456789;
        try (var walk = Files.walk(data)) {
            for (Path p : walk.toList()) sys.lutimes(p.toString(), t, t);
        }
        volumes = new Volumes(tmp.resolve("volumes"), sys);
    }

    private void own(Path p, int uid, int gid, int mode) throws Exception {
        Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        sys.lchmod(p.toString(), mode);
    }

    @Test
    void copiesTheImageDirectoryWithItsMetadata() throws Exception {
        Path target = Path.of(volumes.create("appdata", null, Map.of(), Map.of()).mountpoint());
        assertTrue(volumes.copyUp(rootfs, "/var/run/app", target), "the image path is resolved through /var/run -> ../run");
        assertEquals(Trees.describe(rootfs.resolve("run/app"), null, sys), Trees.describe(target, null, sys));
        assertEquals(Files.getAttribute(target.resolve("conf"), "unix:ino"), Files.getAttribute(target.resolve("conf.bak"), "unix:ino"));
    }

    @Test
    void aVolumeWithContentOrAMissingPathIsLeftAlone() throws Exception {
        Path target = Path.of(volumes.create("used", null, Map.of(), Map.of()).mountpoint());
        Files.writeString(target.resolve("mine"), "mine");
        assertFalse(volumes.copyUp(rootfs, "/run/app", target));
        assertEquals(1, Files.list(target).count());
        Path empty = Path.of(volumes.create("other", null, Map.of(), Map.of()).mountpoint());
        assertFalse(volumes.copyUp(rootfs, "/no/such/dir", empty));
        assertFalse(volumes.copyUp(rootfs, "/run/app/conf", empty));
        assertEquals(0, Files.list(empty).count());
    }
}
