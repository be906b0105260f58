package berth.image.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import berth.image.Digest;
import berth.sys.LinuxSyscalls;
import berth.sys.Syscalls;

/** Unpacking real layers as root: every entry type and its metadata, compression, whiteouts, overlay mounts. */
class LayerUnpackerTest {
    private final Syscalls sys = new LinuxSyscalls();
    private final List<String> warnings = new ArrayList<>();
    private final LayerUnpacker unpacker = new LayerUnpacker(sys, warnings::add);

    @TempDir
    Path tmp;

    private UnpackResult unpack(byte[] layer, Path dir, WhiteoutMode mode) throws IOException {
        Files.createDirectories(dir);
        return unpacker.unpack(new ByteArrayInputStream(layer), dir, mode);
    }

    @Test
    void everyEntryTypeKeepsItsMetadata() throws IOException {
        Instant fileTime = Instant.parse("2020-01-02T03:04:05.1234567Z"); // commons-compress keeps 100 ns
        Instant dirTime = Instant.parse("2019-05-06T07:08:09Z");
        Instant linkTime = Instant.parse("2018-01-01T00:00:01Z");
        byte[] layer = new TestTar()
                .dir("d", e -> { e.setMode(0750); e.setUserId(1000); e.setGroupId(1001); e.setLastModifiedTime(FileTime.from(dirTime)); })
                .file("d/f", "hello", e -> {
                    e.setMode(04755);
                    e.setUserId(1002);
                    e.setGroupId(1003);
                    e.setLastModifiedTime(FileTime.from(fileTime));
                    e.addPaxHeader("SCHILY.xattr.user.comment", "hi");
                    e.addPaxHeader("SCHILY.xattr.trusted.berth-test", "t");
                })
                .file("d/sgid", "", e -> e.setMode(02750))
                .dir("sticky", e -> e.setMode(01777))
                .hardlink("d/f-link", "d/f")
                .symlink("d/s", "f", e -> { e.setUserId(5); e.setGroupId(6); e.setLastModifiedTime(FileTime.from(linkTime)); })
                .device("dev/null", TarConstants.LF_CHR, 1, 3, 0666)
                .device("dev/loop0", TarConstants.LF_BLK, 7, 0, 0660)
                .device("dev/big", TarConstants.LF_CHR, 4095, 1048575, 0600)
                .fifo("p", 0640)
                .build();
        Path dir = tmp.resolve("layer");
        unpack(layer, dir, WhiteoutMode.OVERLAY);

        Map<String, Object> d = Trees.lstat(dir.resolve("d"));
        assertEquals(040750, d.get("mode"));
        assertEquals(1000, d.get("uid"));
        assertEquals(1001, d.get("gid"));
        assertEquals(FileTime.from(dirTime), d.get("lastModifiedTime"), "set after its children were written");

        Path f = dir.resolve("d/f");
        Map<String, Object> fa = Trees.lstat(f);
        assertEquals("hello", Files.readString(f));
        assertEquals(0104755, fa.get("mode"), "setuid survives the chown");
        assertEquals(1002, fa.get("uid"));
        assertEquals(1003, fa.get("gid"));
        assertEquals(FileTime.from(fileTime), fa.get("lastModifiedTime"), "sub-second time from the PAX mtime");
        assertArrayEquals("hi".getBytes(StandardCharsets.UTF_8), sys.lgetxattr(f.toString(), "user.comment"));
        assertArrayEquals("t".getBytes(StandardCharsets.UTF_8), sys.lgetxattr(f.toString(), "trusted.berth-test"));
        assertEquals(0102750, Trees.mode(dir.resolve("d/sgid")));
        assertEquals(041777, Trees.mode(dir.resolve("sticky")));

        Map<String, Object> link = Trees.lstat(dir.resolve("d/f-link"));
        assertEquals(fa.get("ino"), link.get("ino"));
        assertEquals(2, link.get("nlink"));

        Path s = dir.resolve("d/s");
        assertTrue(Files.isSymbolicLink(s));
        assertEquals("f", Files.readSymbolicLink(s).toString());
        Map<String, Object> sa = Trees.lstat(s);
        assertEquals(5, sa.get("uid"));
        assertEquals(6, sa.get("gid"));
        assertEquals(FileTime.from(linkTime), sa.get("lastModifiedTime"), "the link's own time, not its target's");

        Map<String, Object> nul = Trees.lstat(dir.resolve("dev/null"));
        assertEquals(0020666, nul.get("mode"));
        assertEquals(1, DeviceNumbers.major((long) nul.get("rdev")));
        assertEquals(3, DeviceNumbers.minor((long) nul.get("rdev")));
        Map<String, Object> loop = Trees.lstat(dir.resolve("dev/loop0"));
        assertEquals(0060660, loop.get("mode"));
        assertEquals(7, DeviceNumbers.major((long) loop.get("rdev")));
        Map<String, Object> big = Trees.lstat(dir.resolve("dev/big"));
        assertEquals(4095, DeviceNumbers.major((long) big.get("rdev")));
        assertEquals(1048575, DeviceNumbers.minor((long) big.get("rdev")));
        assertEquals(0010640, Trees.mode(dir.resolve("p")));
        assertEquals(FileTime.from(TestTar.MTIME), Trees.lstat(dir.resolve("p")).get("lastModifiedTime"));
        assertEquals(040755, Trees.mode(dir.resolve("dev")), "a parent the layer did not list is made 0755");
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void binaryXattrValuesAreKeptByteForByte() throws IOException {
        byte[] capability = {1, 0, 0, 2, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        byte[] binary = {(byte) 0xff, (byte) 0xfe, 0x00, 0x0a, (byte) 0xc3};
        TreeMap<String, byte[]> xattrs = new TreeMap<>(Map.of("security.capability", capability, "user.bin", binary));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PaxTarWriter w = new PaxTarWriter(out);
        w.write(new LayerEntry("ping", "ping", LayerEntry.Type.FILE, 0755, 0, 0, 0, 0, 1, "", 0, 0, xattrs),
                new ByteArrayInputStream(new byte[] {'x'}));
        w.finish();
        Path dir = tmp.resolve("layer");
        unpack(out.toByteArray(), dir, WhiteoutMode.OVERLAY);
        String ping = dir.resolve("ping").toString();
        assertArrayEquals(binary, sys.lgetxattr(ping, "user.bin"));
        assertArrayEquals(capability, sys.lgetxattr(ping, "security.capability"), "set after the chown, which clears it");
    }

    @Test
    void compressedLayersHaveTheDiffIdOfTheirTar() throws IOException {
        byte[] tar = new TestTar().dir("a").file("a/b", "some content ".repeat(1000)).build();
        Digest expected = Digest.of(tar);

        UnpackResult plain = unpack(tar, tmp.resolve("plain"), WhiteoutMode.OVERLAY);
        UnpackResult gzip = unpack(compress(Compression.GZIP, tar), tmp.resolve("gzip"), WhiteoutMode.OVERLAY);
        UnpackResult zstd = unpack(compress(Compression.ZSTD, tar), tmp.resolve("zstd"), WhiteoutMode.OVERLAY);
        // pigz and parallel writers concatenate gzip members
        ByteArrayOutputStream members = new ByteArrayOutputStream();
        members.write(compress(Compression.GZIP, Arrays.copyOfRange(tar, 0, 1000)));
        members.write(compress(Compression.GZIP, Arrays.copyOfRange(tar, 1000, tar.length)));
        UnpackResult concatenated = unpack(members.toByteArray(), tmp.resolve("members"), WhiteoutMode.OVERLAY);

        for (UnpackResult r : List.of(plain, gzip, zstd, concatenated)) {
            assertEquals(expected, r.diffId());
            assertEquals(tar.length, r.size());
        }
        assertEquals("some content ".repeat(1000), Files.readString(tmp.resolve("members/a/b")));
    }

    @Test
    void theDiffIdCoversBytesAfterTheTarEnd() throws IOException {
        byte[] tar = new TestTar().file("f", "x").build();
        byte[] padded = Arrays.copyOf(tar, tar.length + 10240); // more zero blocks, as some writers leave
        UnpackResult r = unpack(padded, tmp.resolve("layer"), WhiteoutMode.OVERLAY);
        assertEquals(Digest.of(padded), r.diffId());
        assertEquals(padded.length, r.size());
    }

    @Test
    void overlayModeMakesWhiteoutDevicesAndOpaqueDirectoriesThatAMountHonours() throws IOException {
        byte[] lower = new TestTar()
                .file("a", "a").file("keep", "keep").dir("d").file("d/old", "old").dir("gone").file("gone/x", "x")
                .build();
        byte[] upper = new TestTar()
                .file(".wh.a", "").dir("d").file("d/new", "new").file("d/.wh..wh..opq", "").file(".wh.gone", "")
                .build();
        Path l1 = tmp.resolve("l1"), l2 = tmp.resolve("l2");
        unpack(lower, l1, WhiteoutMode.OVERLAY);
        unpack(upper, l2, WhiteoutMode.OVERLAY);

        for (String w : List.of("a", "gone")) {
            Map<String, Object> a = Trees.lstat(l2.resolve(w));
            assertEquals(0020000, (int) a.get("mode") & 0170000, w + " is a character device");
            assertEquals(0L, a.get("rdev"), w + " is 0/0");
        }
        assertFalse(Files.exists(l2.resolve(".wh.a"), LinkOption.NOFOLLOW_LINKS));
        assertArrayEquals("y".getBytes(StandardCharsets.US_ASCII), sys.lgetxattr(l2.resolve("d").toString(), "trusted.overlay.opaque"));
        assertEquals("new", Files.readString(l2.resolve("d/new")), "entries before the opaque marker stay");

        Path up = Files.createDirectory(tmp.resolve("upper")), work = Files.createDirectory(tmp.resolve("work"));
        Path merged = Files.createDirectory(tmp.resolve("merged"));
        sys.mountOverlay(merged.toString(), List.of(l2.toString(), l1.toString()), up.toString(), work.toString());
        try {
            assertFalse(Files.exists(merged.resolve("a"), LinkOption.NOFOLLOW_LINKS), "whited out");
            assertFalse(Files.exists(merged.resolve("gone"), LinkOption.NOFOLLOW_LINKS), "whited out with its contents");
            assertEquals("keep", Files.readString(merged.resolve("keep")));
            assertEquals("new", Files.readString(merged.resolve("d/new")));
            assertFalse(Files.exists(merged.resolve("d/old")), "hidden by the opaque directory");

            // the container's changes land in the upper directory the way LayerDiff reads them
            Files.delete(merged.resolve("keep"));
            Files.writeString(merged.resolve("added"), "added");
            Map<String, Object> whiteout = Trees.lstat(up.resolve("keep"));
            assertEquals(0020000, (int) whiteout.get("mode") & 0170000);
            assertEquals(0L, whiteout.get("rdev"));
        } finally {
            sys.umount(merged.toString(), 0);
        }
    }

    @Test
    void applyModeDeletesWhatWhiteoutsAndOpaqueDirectoriesHide() throws IOException {
        byte[] lower = new TestTar()
                .file("a", "a").file("keep", "keep")
                .dir("d").file("d/old", "old")
                .dir("e").dir("e/sub").file("e/sub/old", "old")
                .dir("gone").dir("gone/deep").file("gone/deep/x", "x")
                .build();
        byte[] upper = new TestTar()
                .file(".wh.a", "")
                .file(".wh.gone", "")
                .dir("d").file("d/new", "new").file("d/.wh..wh..opq", "")
                .file("e/sub/new", "new").file("e/.wh..wh..opq", "")
                .file(".wh.never-existed", "")
                .build();
        Path dir = tmp.resolve("snapshot");
        unpack(lower, dir, WhiteoutMode.APPLY);
        unpack(upper, dir, WhiteoutMode.APPLY);

        assertFalse(Files.exists(dir.resolve("a"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(dir.resolve("gone"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(dir.resolve(".wh.a"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("keep", Files.readString(dir.resolve("keep")));
        assertEquals(List.of("new"), list(dir.resolve("d")), "the opaque marker came after this layer's d/new");
        assertEquals(List.of("sub"), list(dir.resolve("e")));
        assertEquals(List.of("new"), list(dir.resolve("e/sub")), "lower content below a directory this layer only passed through");
        assertNull(sys.lgetxattr(dir.resolve("d").toString(), "trusted.overlay.opaque"));
    }

    @Test
    void aLaterEntryReplacesAnEarlierOne() throws IOException {
        byte[] layer = new TestTar()
                .file("x", "file").dir("x").file("x/y", "y")           // a directory replaces a file
                .dir("d").file("d/child", "c").file("d", "now a file") // a file replaces a directory and its contents
                .symlink("s", "x").file("s", "real")                   // a file replaces a symlink
                .file("twice", "one").file("twice", "two")
                .dir("z", e -> e.setMode(0700)).file("z/kept", "k").dir("z", e -> e.setMode(0711))
                .build();
        Path dir = tmp.resolve("layer");
        unpack(layer, dir, WhiteoutMode.OVERLAY);
        assertEquals("y", Files.readString(dir.resolve("x/y")));
        assertEquals("now a file", Files.readString(dir.resolve("d")));
        assertFalse(Files.isSymbolicLink(dir.resolve("s")));
        assertEquals("real", Files.readString(dir.resolve("s")));
        assertEquals("two", Files.readString(dir.resolve("twice")));
        assertEquals("k", Files.readString(dir.resolve("z/kept")), "a directory over a directory keeps its contents");
        assertEquals(040711, Trees.mode(dir.resolve("z")));
    }

    @Test
    void xattrsTheFileSystemRefusesAndOverlayOwnOnesAreWarnings() throws IOException {
        byte[] layer = new TestTar()
                .file("target", "t")
                .symlink("link", "target", e -> e.addPaxHeader("SCHILY.xattr.user.x", "v")) // no user.* on symlinks
                .dir("d", e -> e.addPaxHeader("SCHILY.xattr.trusted.overlay.redirect", "/elsewhere"))
                .build();
        Path dir = tmp.resolve("layer");
        unpack(layer, dir, WhiteoutMode.OVERLAY);
        assertTrue(Files.isSymbolicLink(dir.resolve("link")));
        assertNull(sys.lgetxattr(dir.resolve("d").toString(), "trusted.overlay.redirect"));
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("\"link\"") && warnings.get(0).contains("EPERM"), warnings.get(0));
        assertTrue(warnings.get(1).contains("trusted.overlay.redirect"), warnings.get(1));
    }

    @Test
    void aTruncatedLayerFailsNamingWhereItStopped() throws IOException {
        byte[] tar = new TestTar().file("first", "1").file("second", "x".repeat(5000)).build();
        byte[] cut = Arrays.copyOf(tar, 2048);
        LayerException e = org.junit.jupiter.api.Assertions.assertThrows(LayerException.class,
                () -> unpack(cut, tmp.resolve("layer"), WhiteoutMode.OVERLAY));
        assertTrue(e.getMessage().startsWith("layer entry \"second\": "), e.getMessage());
        assertNotEquals(-1, e.getMessage().indexOf("runcated"), e.getMessage());
    }

    private static byte[] compress(Compression c, byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = c.compress(out)) {
            z.write(data);
        }
        return out.toByteArray();
    }

    private static List<String> list(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
