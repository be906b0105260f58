package berth.image.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import berth.image.Digest;
import berth.sys.LinuxSyscalls;
import berth.sys.Syscalls;

/** An overlay upper directory written as a layer, read back by commons-compress and by berth's own unpacker. */
class LayerDiffTest {
    private static final long T = Instant.parse("2022-02-22T22:22:22Z").getEpochSecond() * 1_000_000_000L;
    private final Syscalls sys = new LinuxSyscalls();
    private final LayerDiff diff = new LayerDiff(sys);

    @TempDir
    Path tmp;
    private Path upper;

    /** What a container's upper directory holds after some work. */
    @BeforeEach
    void upperDirectory() throws IOException {
        upper = Files.createDirectory(tmp.resolve("upper"));
        Path etc = Files.createDirectory(upper.resolve("etc"));
        Path conf = Files.writeString(etc.resolve("app.conf"), "key=value\n");
        Files.setAttribute(conf, "unix:uid", 1000);
        Files.setAttribute(conf, "unix:gid", 1001);
        sys.lchmod(conf.toString(), 0640);
        sys.lsetxattr(conf.toString(), "user.note", "text".getBytes(StandardCharsets.UTF_8));
        sys.lsetxattr(conf.toString(), "user.binary", new byte[] {(byte) 0x80, 0, (byte) 0xff});
        sys.lsetxattr(conf.toString(), "trusted.overlay.origin", new byte[] {1, 2, 3}); // overlayfs's: left out

        Path bin = Files.createDirectory(upper.resolve("bin"));
        Path su = Files.writeString(bin.resolve("su"), "#!/bin/sh\n");
        sys.lchmod(su.toString(), 04755);
        Files.createLink(bin.resolve("su-again"), su);
        Files.createSymbolicLink(bin.resolve("sh"), Path.of("busybox"));

        sys.mknod(upper.resolve("deleted").toString(), LayerEntry.S_IFCHR, 0, 0); // whiteout
        Path var = Files.createDirectory(upper.resolve("var"));
        sys.lsetxattr(var.toString(), "trusted.overlay.opaque", "y".getBytes(StandardCharsets.US_ASCII));
        Files.writeString(var.resolve("fresh"), "fresh");
        sys.mknod(var.resolve("pipe").toString(), LayerEntry.S_IFIFO | 0600, 0, 0);
        Path dev = Files.createDirectory(upper.resolve("dev"));
        sys.mknod(dev.resolve("null").toString(), LayerEntry.S_IFCHR | 0666, 1, 3);
        sys.mknod(dev.resolve("sdb").toString(), LayerEntry.S_IFBLK | 0660, 8, 16);

        Path data = Files.createDirectory(upper.resolve("data"));
        Files.writeString(data.resolve("volume-file"), "volume");
        Path longDir = Files.createDirectories(upper.resolve("a-rather-long-directory-name-".repeat(3) + "/é-ünïcödé"));
        Files.writeString(longDir.resolve("f".repeat(120)), "long");

        try (var walk = Files.walk(upper)) { // whole seconds: a layer's times are
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) sys.lutimes(p.toString(), T, T);
        }
    }

    private byte[] tar(Set<String> exclude) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DiffResult r = diff.write(upper, exclude, out);
        byte[] bytes = out.toByteArray();
        assertEquals(Digest.of(bytes), r.diffId());
        assertEquals(bytes.length, r.size());
        return bytes;
    }

    @Test
    void unpackingTheDiffGivesTheSameTree() throws IOException {
        byte[] tar = tar(Set.of());
        Path copy = Files.createDirectory(tmp.resolve("copy"));
        UnpackResult r = new LayerUnpacker(sys, w -> { throw new AssertionError(w); })
                .unpack(new ByteArrayInputStream(tar), copy, WhiteoutMode.OVERLAY);
        assertEquals(Digest.of(tar), r.diffId());

        Map<String, String> expected = Trees.describe(upper, null, sys);
        Map<String, String> actual = Trees.describe(copy, null, sys);
        expected.remove(""); // the roots differ, and the tar has no entry for them
        actual.remove("");
        // a whiteout is a device made anew: compare what overlayfs reads of it
        expected.computeIfPresent("deleted", (k, v) -> v.replaceAll(" mtime=\\S+", ""));
        actual.computeIfPresent("deleted", (k, v) -> v.replaceAll(" mtime=\\S+", ""));
        expected.computeIfPresent("etc/app.conf", (k, v) -> v.replaceAll(" trusted\\.overlay\\.origin=\\S+", ""));
        assertEquals(expected, actual);
    }

    @Test
    void theTarSpellsWhiteoutsHardLinksAndDevicesTheOciWay() throws IOException {
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar(Set.of())))) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                names.add(e.getName());
                switch (e.getName()) {
                    case ".wh.deleted", "var/.wh..wh..opq" -> assertTrue(e.isFile() && e.getSize() == 0);
                    case "bin/su-again" -> {
                        assertTrue(e.isLink());
                        assertEquals("bin/su", e.getLinkName());
                    }
                    case "bin/su" -> assertEquals(04755, e.getMode());
                    case "bin/sh" -> assertEquals("busybox", e.getLinkName());
                    case "dev/sdb" -> {
                        assertTrue(e.isBlockDevice());
                        assertEquals(8, e.getDevMajor());
                        assertEquals(16, e.getDevMinor());
                    }
                    case "etc/app.conf" -> {
                        assertEquals(1000, e.getLongUserId());
                        assertEquals(Set.of("SCHILY.xattr.user.note", "SCHILY.xattr.user.binary"), e.getExtraPaxHeaders().keySet());
                    }
                    default -> { }
                }
            }
        }
        int var = names.indexOf("var/");
        assertEquals("var/.wh..wh..opq", names.get(var + 1), "the opaque marker right after its directory");
        assertTrue(names.contains(".wh.deleted"));
        assertTrue(names.indexOf("bin/") < names.indexOf("bin/sh"), "sorted, parents first");
        assertTrue(names.stream().anyMatch(n -> n.endsWith("f".repeat(120))), "a long name, through a PAX path");
    }

    @Test
    void excludedDirectoriesKeepTheirEntryButNotTheirContents() throws IOException {
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar(Set.of("/data/"))))) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) names.add(e.getName());
        }
        assertTrue(names.contains("data/"));
        assertTrue(names.stream().noneMatch(n -> n.startsWith("data/") && !n.equals("data/")), names.toString());
        assertTrue(names.contains("etc/app.conf"));
    }

    @Test
    void theSameDirectoryGivesTheSameBytes() throws IOException {
        assertEquals(Digest.of(tar(Set.of())), Digest.of(tar(Set.of())));
    }

    @Test
    void overlayStateALayerCannotCarryIsRefused() throws IOException {
        sys.lsetxattr(upper.resolve("var").toString(), "trusted.overlay.redirect", "/elsewhere".getBytes(StandardCharsets.US_ASCII));
        LayerException e = assertThrows(LayerException.class, () -> tar(Set.of()));
        assertTrue(e.getMessage().startsWith("upper directory entry \"var\": has trusted.overlay.redirect"), e.getMessage());
    }
}
