package berth.image.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import berth.sys.LinuxSyscalls;
import berth.sys.Syscalls;

/**
 * Layers written to break out of the directory they are unpacked into. Each test unpacks into
 * {@code tmp/layer} next to an outside directory with a secret file in it, and checks afterwards that
 * nothing in {@code tmp} outside the layer directory changed: no file, mode, owner, time or xattr.
 */
class HostileLayerTest {
    private final Syscalls sys = new LinuxSyscalls();
    private final List<String> warnings = new ArrayList<>();
    private final LayerUnpacker unpacker = new LayerUnpacker(sys, warnings::add);

    @TempDir
    Path tmp;
    private Path layer;
    private Path outside;
    private Path secret;
    private Map<String, String> before;

    @BeforeEach
    void sentinel() throws IOException {
        layer = Files.createDirectory(tmp.resolve("layer"));
        outside = Files.createDirectory(tmp.resolve("outside"));
        secret = Files.writeString(outside.resolve("secret"), "secret");
        Files.setAttribute(secret, "unix:mode", 0600);
        Files.setLastModifiedTime(secret, FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
        Files.setLastModifiedTime(outside, FileTime.from(Instant.parse("2002-02-02T00:00:00Z")));
        before = Trees.describe(tmp, layer, sys);
    }

    @AfterEach
    void nothingOutsideChanged() throws IOException {
        assertEquals(before, Trees.describe(tmp, layer, sys), "the outside of the layer directory changed");
    }

    private void unpack(byte[] tar) throws IOException {
        unpacker.unpack(new ByteArrayInputStream(tar), layer, WhiteoutMode.OVERLAY);
    }

    private LayerException refused(byte[] tar, String message) {
        return refused(tar, WhiteoutMode.OVERLAY, message);
    }

    private LayerException refused(byte[] tar, WhiteoutMode mode, String message) {
        LayerException e = assertThrows(LayerException.class, () -> unpacker.unpack(new ByteArrayInputStream(tar), layer, mode));
        assertEquals(message, e.getMessage());
        return e;
    }

    @Test
    void dotDotOutOfTheLayerIsRefused() {
        refused(new TestTar().file("../x", "x").build(), "layer entry \"../x\": path escapes the layer");
        refused(new TestTar().file("a/../../x", "x").build(), "layer entry \"a/../../x\": path escapes the layer");
        refused(new TestTar().dir("../outside").build(), "layer entry \"../outside/\": path escapes the layer");
    }

    @Test
    void dotDotTowardsEtcIsRefused() {
        refused(new TestTar().file("../../etc/passwd-berth-test", "root::0:0::/:/bin/sh\n").build(),
                "layer entry \"../../etc/passwd-berth-test\": path escapes the layer");
        assertFalse(Files.exists(Path.of("/etc/passwd-berth-test")));
    }

    @Test
    void dotDotThatStaysInsideIsFollowedLexically() throws IOException {
        unpack(new TestTar().file("a/b/../c", "c").build());
        assertEquals("c", Files.readString(layer.resolve("a/c")));
    }

    @Test
    void absoluteNamesLandInsideTheLayer() throws IOException {
        String unique = "berth-test-" + UUID.randomUUID();
        unpack(new TestTar().file("/tmp/" + unique + "/x", "x").file("/" + unique, "y").build());
        assertEquals("x", Files.readString(layer.resolve("tmp/" + unique + "/x")));
        assertEquals("y", Files.readString(layer.resolve(unique)));
        assertFalse(Files.exists(Path.of("/tmp", unique), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(Path.of("/", unique), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void writingThroughASymlinkToOutsideIsRefused() throws IOException {
        refused(new TestTar().symlink("evil", outside.toString()).file("evil/pwned", "pwned").build(),
                "layer entry \"evil/pwned\": parent \"evil\" is a symbolic link");
        assertFalse(Files.exists(outside.resolve("pwned")));
    }

    @Test
    void symlinkChainsAreRefusedToo() {
        refused(new TestTar().dir("a").symlink("a/up", "../..").file("a/up/x", "x").build(),
                "layer entry \"a/up/x\": parent \"a/up\" is a symbolic link");
        refused(new TestTar().symlink("up", "..").dir("up/outside").build(),
                "layer entry \"up/outside/\": parent \"up\" is a symbolic link");
    }

    @Test
    void creatingADirectoryThroughASymlinkIsRefused() {
        refused(new TestTar().symlink("evil", outside.toString()).dir("evil/sub").build(),
                "layer entry \"evil/sub/\": parent \"evil\" is a symbolic link");
    }

    @Test
    void hardlinksOutOfTheLayerAreRefused() throws IOException {
        long passwdLinks = (int) Trees.lstat(Path.of("/etc/passwd")).get("nlink");
        refused(new TestTar().hardlink("h", "/etc/passwd").build(),
                "layer entry \"h\": hard link target \"etc/passwd\" does not exist");
        refused(new TestTar().hardlink("h", "../outside/secret").build(),
                "layer entry \"h\": hard link target \"../outside/secret\": path escapes the layer");
        refused(new TestTar().symlink("s", outside.toString()).hardlink("h", "s/secret").build(),
                "layer entry \"h\": hard link target's parent \"s\" is a symbolic link");
        refused(new TestTar().dir("d").hardlink("h", "d").build(),
                "layer entry \"h\": hard link target \"d\" is a directory");
        refused(new TestTar().hardlink("h", "h").build(), "layer entry \"h\": hard link to itself");
        assertEquals(passwdLinks, (int) Trees.lstat(Path.of("/etc/passwd")).get("nlink"));
        assertEquals(1, (int) Trees.lstat(secret).get("nlink"));
    }

    @Test
    void aHardlinkToASymlinkIsAnotherSymlinkAndWritingReplacesIt() throws IOException {
        unpack(new TestTar().symlink("s", secret.toString()).hardlink("h", "s").file("h", "pwned").build());
        assertTrue(Files.isSymbolicLink(layer.resolve("s")));
        assertFalse(Files.isSymbolicLink(layer.resolve("h")));
        assertEquals("pwned", Files.readString(layer.resolve("h")));
        assertEquals("secret", Files.readString(secret));
    }

    @Test
    void aFileReplacingASymlinkIsWrittenInside() throws IOException {
        unpack(new TestTar().symlink("f", secret.toString()).file("f", "pwned", e -> e.setMode(0777)).build());
        assertFalse(Files.isSymbolicLink(layer.resolve("f")));
        assertEquals("pwned", Files.readString(layer.resolve("f")));
        assertEquals("secret", Files.readString(secret));
    }

    @Test
    void aDirectoryEntryOverASymlinkNeverTouchesItsTarget() throws IOException {
        unpack(new TestTar().symlink("d", outside.toString())
                .dir("d", e -> { e.setMode(0777); e.setUserId(4242); e.setGroupId(4242); e.addPaxHeader("SCHILY.xattr.user.pwned", "1"); })
                .build());
        assertTrue(Files.isDirectory(layer.resolve("d"), LinkOption.NOFOLLOW_LINKS));
        assertEquals(4242, Trees.lstat(layer.resolve("d")).get("uid"));
    }

    @Test
    void metadataOfASymlinkEntryIsTheLinksOwn() throws IOException {
        unpack(new TestTar().symlink("s", secret.toString(), e -> {
            e.setMode(0777);
            e.setUserId(4242);
            e.setGroupId(4242);
            e.setLastModifiedTime(FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
            e.addPaxHeader("SCHILY.xattr.trusted.pwned", "1");
        }).build());
        assertEquals(4242, Trees.lstat(layer.resolve("s")).get("uid"));
        assertEquals(FileTime.from(Instant.parse("2030-01-01T00:00:00Z")), Trees.lstat(layer.resolve("s")).get("lastModifiedTime"));
    }

    @Test
    void aHugePaxHeaderIsAnErrorNotAnOutOfMemory() {
        // a header that says it is 8 GiB long, followed by an endless record: nothing is built in memory
        byte[] header = rawHeader("././@PaxHeader", 'x', "77777777777");
        InputStream endless = new SequenceInputStream(new ByteArrayInputStream(header),
                new SequenceInputStream(new ByteArrayInputStream("999999999 comment=".getBytes(StandardCharsets.US_ASCII)), endlessOf('a')));
        LayerException e = assertThrows(LayerException.class, () -> unpacker.unpack(endless, layer, WhiteoutMode.OVERLAY));
        assertEquals("layer: bad tar header after entry \"\": a tar header (PAX extended header or long name) is larger than 1 MiB",
                e.getMessage());
    }

    @Test
    void aHugeGnuLongNameIsAnError() throws IOException {
        byte[] first = new TestTar().file("ok", "ok").build();
        byte[] withoutEnd = java.util.Arrays.copyOf(first, 1024); // its header and content, not the end-of-archive blocks
        byte[] header = rawHeader("././@LongLink", 'L', "10000000000");
        InputStream in = new SequenceInputStream(new ByteArrayInputStream(withoutEnd),
                new SequenceInputStream(new ByteArrayInputStream(header), endlessOf('n')));
        LayerException e = assertThrows(LayerException.class, () -> unpacker.unpack(in, layer, WhiteoutMode.OVERLAY));
        assertTrue(e.getMessage().startsWith("layer: bad tar header after entry \"ok\": "), e.getMessage());
    }

    @Test
    void aNulInANameIsRefused() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PaxTarWriter w = new PaxTarWriter(out); // a PAX path record can hold what a ustar name field cannot
        w.write(new LayerEntry("a\0/../../x", "", LayerEntry.Type.FILE, 0644, 0, 0, 0, 0, 0, "", 0, 0, new TreeMap<>()), null);
        w.finish();
        refused(out.toByteArray(), "layer entry \"a\\x00/../../x\": name contains a NUL byte");
    }

    @Test
    void deviceNodesAreAllowedButOnlyInside() throws IOException {
        unpack(new TestTar().device("/dev/sda-berth", TarConstants.LF_BLK, 8, 0, 0660).device("dev/null", TarConstants.LF_CHR, 1, 3, 0666).build());
        assertEquals(0060660, Trees.mode(layer.resolve("dev/sda-berth")));
        assertFalse(Files.exists(Path.of("/dev/sda-berth"), LinkOption.NOFOLLOW_LINKS));
        refused(new TestTar().device("../null", TarConstants.LF_CHR, 1, 3, 0666).build(), "layer entry \"../null\": path escapes the layer");
    }

    @Test
    void whiteoutsCannotReachOutside() throws IOException {
        refused(new TestTar().file("../.wh.secret", "").build(), WhiteoutMode.APPLY, "layer entry \"../.wh.secret\": path escapes the layer");
        refused(new TestTar().file(".wh..", "").build(), WhiteoutMode.APPLY, "layer entry \".wh..\": whiteout names no file");
        refused(new TestTar().symlink("s", outside.toString()).file("s/.wh.secret", "").build(), WhiteoutMode.APPLY,
                "layer entry \"s/.wh.secret\": parent \"s\" is a symbolic link");
        refused(new TestTar().symlink("s", outside.toString()).file("s/.wh..wh..opq", "").build(), WhiteoutMode.APPLY,
                "layer entry \"s/.wh..wh..opq\": parent \"s\" is a symbolic link");
        refused(new TestTar().symlink("s", outside.toString()).file("s/.wh..wh..opq", "").build(), WhiteoutMode.OVERLAY,
                "layer entry \"s/.wh..wh..opq\": parent \"s\" is a symbolic link");
        assertTrue(Files.exists(secret));
    }

    @Test
    void aLowerLayersSymlinkInTheWayIsReplacedNotFollowed() throws IOException {
        // APPLY mode over lower content: the lower "lib" is a symlink out of the tree; this layer's lib/x
        // shows, as overlayfs would, a directory lib of this layer's own
        Files.createSymbolicLink(layer.resolve("lib"), outside);
        unpacker.unpack(new ByteArrayInputStream(new TestTar().file("lib/x", "x").build()), layer, WhiteoutMode.APPLY);
        assertTrue(Files.isDirectory(layer.resolve("lib"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("x", Files.readString(layer.resolve("lib/x")));
    }

    @Test
    void anOpaqueDirectoryInApplyModeDeletesOnlyInside() throws IOException {
        Files.createDirectory(layer.resolve("d"));
        Files.createSymbolicLink(layer.resolve("d/link-out"), outside);
        unpacker.unpack(new ByteArrayInputStream(new TestTar().file("d/.wh..wh..opq", "").file(".wh.link-out", "").build()),
                layer, WhiteoutMode.APPLY);
        assertFalse(Files.exists(layer.resolve("d/link-out"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.exists(secret));
    }

    /** A 512-byte ustar header with the given name, type and size field (octal digits as written). */
    private static byte[] rawHeader(String name, char type, String octalSize) {
        byte[] h = new byte[512];
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(n, 0, h, 0, n.length);
        System.arraycopy("0000644\0".getBytes(StandardCharsets.US_ASCII), 0, h, 100, 8);
        System.arraycopy("0000000\0".getBytes(StandardCharsets.US_ASCII), 0, h, 108, 8);
        System.arraycopy("0000000\0".getBytes(StandardCharsets.US_ASCII), 0, h, 116, 8);
        System.arraycopy((octalSize + "\0").getBytes(StandardCharsets.US_ASCII), 0, h, 124, 12);
        System.arraycopy("00000000000\0".getBytes(StandardCharsets.US_ASCII), 0, h, 136, 12);
        h[156] = (byte) type;
        System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
        h[263] = '0';
        h[264] = '0';
        java.util.Arrays.fill(h, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte b : h) sum += b & 0xff;
        byte[] c = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(c, 0, h, 148, 8);
        return h;
    }

    /** An endless stream of one byte. */
    private static InputStream endlessOf(char c) {
        return new InputStream() {
            @Override
            public int read() {
                return c;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) c);
                return len;
            }
        };
    }
}
