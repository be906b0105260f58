package berth.engine.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import berth.sys.LinuxSyscalls;
import berth.sys.Syscalls;

/** docker cp in both directions and docker export, on temporary directories standing in for container roots. */
class ContainerFilesTest {
    private final Syscalls sys = new LinuxSyscalls();
    @TempDir
    Path tmp;
    private Path root;
    private ContainerFiles files;

    @BeforeEach
    void container() throws Exception {
        root = Files.createDirectory(tmp.resolve("root"));
        Path app = Files.createDirectories(root.resolve("srv/app"));
        Files.writeString(app.resolve("run.sh"), "#!/bin/sh\necho hi\n");
        Files.setAttribute(app.resolve("run.sh"), "unix:uid", 1234, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(app.resolve("run.sh"), "unix:gid", 5678, LinkOption.NOFOLLOW_LINKS);
        sys.lchmod(app.resolve("run.sh").toString(), 04755); // after chown, which clears setuid
        Files.createLink(app.resolve("run-again.sh"), app.resolve("run.sh"));
        Files.createSymbolicLink(app.resolve("current"), Path.of("/srv/app/run.sh"));
        Files.createDirectory(app.resolve("empty"));
        sys.lchmod(app.resolve("empty").toString(), 01777);
        sys.mknod(app.resolve("pipe").toString(), 0010640, 0, 0);
        Files.writeString(app.resolve("ünïcödé-" + "x".repeat(120)), "long name\n");
        long whole = Instant.parse("2019-01-01T00:00:00Z").toEpochMilli() * 1_000_000;
        try (var walk = Files.walk(root)) {
            for (Path p : walk.toList()) sys.lutimes(p.toString(), whole, whole);
        }
        files = new ContainerFiles("c0ffee", root, sys);
    }

    @Test
    void directoryRoundTripKeepsEverything() throws Exception {
        byte[] tar = tar("/srv/app");
        assertEquals(List.of("app/", "app/current", "app/empty/", "app/pipe", "app/run-again.sh", "app/run.sh",
                "app/ünïcödé-" + "x".repeat(120)), names(tar));
        TarArchiveEntry link = entries(tar).get(5);
        assertEquals("app/run.sh", link.getName());
        assertTrue(link.isLink(), "the second name of a hard-linked file is a link to the first");
        assertEquals("app/run-again.sh", link.getLinkName());

        Path other = Files.createDirectories(tmp.resolve("other/dst"));
        new ContainerFiles("other", tmp.resolve("other"), sys).extractTar("/dst", new ByteArrayInputStream(tar), ExtractOptions.DEFAULT);
        assertEquals(Trees.describe(root.resolve("srv/app"), null, sys), Trees.describe(other.resolve("app"), null, sys));
        assertEquals(Files.readAttributes(other.resolve("app/run.sh"), "unix:ino"), Files.readAttributes(other.resolve("app/run-again.sh"), "unix:ino"));
    }

    @Test
    void trailingDotCopiesTheContents() throws Exception {
        assertEquals(List.of("./", "./current", "./empty/", "./pipe", "./run-again.sh", "./run.sh", "./ünïcödé-" + "x".repeat(120)),
                names(tar("/srv/app/.")));
        Path other = Files.createDirectories(tmp.resolve("other/dst"));
        sys.lchmod(other.toString(), 0700);
        new ContainerFiles("other", tmp.resolve("other"), sys).extractTar("dst", new ByteArrayInputStream(tar("/srv/app/.")), ExtractOptions.DEFAULT);
        assertTrue(Files.isSymbolicLink(other.resolve("current")));
        assertEquals(0700, (Integer) Files.getAttribute(other, "unix:mode") & 07777, "the ./ entry leaves the target directory alone");
    }

    @Test
    void aFileOrLinkIsOneEntryNamedByItsBase() throws Exception {
        assertEquals(List.of("run.sh"), names(tar("srv/app/run.sh")));
        List<TarArchiveEntry> link = entries(tar("/srv/app/current"));
        assertEquals(1, link.size());
        assertTrue(link.getFirst().isSymbolicLink());
        assertEquals("/srv/app/run.sh", link.getFirst().getLinkName());
        assertEquals(List.of("/", "/srv/", "/srv/app/"), names(tar("/")).subList(0, 3), "the root is rebased to / as Docker does");
    }

    @Test
    void headersCarryOwnersModesAndWholeSeconds() throws Exception {
        Files.setLastModifiedTime(root.resolve("srv/app/run.sh"), FileTime.from(Instant.parse("2022-02-22T22:22:22.987Z")));
        TarArchiveEntry e = entries(tar("/srv/app/run.sh")).getFirst();
        assertEquals(1234, e.getLongUserId());
        assertEquals(5678, e.getLongGroupId());
        assertEquals(04755, e.getMode() & 07777);
        assertEquals(Instant.parse("2022-02-22T22:22:22Z"), e.getLastModifiedTime().toInstant());
        assertEquals("", e.getUserName());
    }

    @Test
    void tarCommandReadsWhatIsWritten() throws Exception {
        Path out = tmp.resolve("app.tar");
        Files.write(out, tar("/srv/app"));
        Process p = new ProcessBuilder("tar", "-tvf", out.toString()).redirectErrorStream(true).start();
        String listing = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), listing);
        assertTrue(listing.contains("-rwsr-xr-x 1234/5678"), listing);
        assertTrue(listing.contains("app/current -> /srv/app/run.sh"), listing);
        assertTrue(listing.contains("app/run.sh link to app/run-again.sh"), listing);
        assertTrue(listing.contains("drwxrwxrwt"), listing);
        assertTrue(listing.contains("prw-r-----"), listing);
        assertTrue(listing.contains("app/ünïcödé-" + "x".repeat(120)), listing);
    }

    @Test
    void exportWritesTheWholeTreeWithoutTheRoot() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        files.exportTar(out);
        List<String> names = names(out.toByteArray());
        assertEquals(List.of("srv/", "srv/app/", "srv/app/current"), names.subList(0, 3));
        assertEquals(8, names.size());
    }

    @Test
    void extractsGzipAndBzip2() throws Exception {
        byte[] plain = new TestTar().file("a.txt", "gz").bytes();
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(gz)) {
            g.write(plain);
        }
        files.extractTar("/srv", new ByteArrayInputStream(gz.toByteArray()), ExtractOptions.DEFAULT);
        assertEquals("gz", Files.readString(root.resolve("srv/a.txt")));

        plain = new TestTar().file("b.txt", "bz").bytes();
        ByteArrayOutputStream bz = new ByteArrayOutputStream();
        try (BZip2CompressorOutputStream b = new BZip2CompressorOutputStream(bz)) {
            b.write(plain);
        }
        files.extractTar("/srv", new ByteArrayInputStream(bz.toByteArray()), ExtractOptions.DEFAULT);
        assertEquals("bz", Files.readString(root.resolve("srv/b.txt")));

        byte[] xz = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0, 0, 0};
        assertThrows(ArchiveException.Invalid.class, () -> files.extractTar("/srv", new ByteArrayInputStream(xz), ExtractOptions.DEFAULT));
    }

    @Test
    void extractionPointMustBeAnExistingDirectory() {
        byte[] tar = new TestTar().file("a", "a").bytes();
        ArchiveException.NotFound missing = assertThrows(ArchiveException.NotFound.class,
                () -> files.extractTar("/nope", new ByteArrayInputStream(tar), ExtractOptions.DEFAULT));
        assertEquals("Could not find the file /nope in container c0ffee", missing.getMessage());
        ArchiveException.Invalid file = assertThrows(ArchiveException.Invalid.class,
                () -> files.extractTar("/srv/app/run.sh", new ByteArrayInputStream(tar), ExtractOptions.DEFAULT));
        assertEquals("extraction point is not a directory", file.getMessage());
    }

    @Test
    void extractionPointMayBeALinkToADirectory() throws Exception {
        Files.createSymbolicLink(root.resolve("data"), Path.of("/srv/app/empty"));
        files.extractTar("/data", new ByteArrayInputStream(new TestTar().file("x", "x").bytes()), ExtractOptions.DEFAULT);
        assertEquals("x", Files.readString(root.resolve("srv/app/empty/x")));
    }

    @Test
    void replacesWhatIsInTheWayUnlessToldNotTo() throws Exception {
        byte[] fileOverDir = new TestTar().file("empty", "now a file").bytes();
        ExtractOptions careful = new ExtractOptions(true, null);
        ArchiveException e = assertThrows(ArchiveException.class,
                () -> files.extractTar("/srv/app", new ByteArrayInputStream(fileOverDir), careful));
        assertEquals("extract \"empty\": cannot overwrite directory \"/srv/app/empty\" with a non-directory", e.getMessage());
        byte[] dirOverFile = new TestTar().dir("run.sh/", 0755).bytes();
        assertThrows(ArchiveException.class, () -> files.extractTar("/srv/app", new ByteArrayInputStream(dirOverFile), careful));

        files.extractTar("/srv/app", new ByteArrayInputStream(fileOverDir), ExtractOptions.DEFAULT);
        assertEquals("now a file", Files.readString(root.resolve("srv/app/empty")));
        files.extractTar("/srv/app", new ByteArrayInputStream(new TestTar().file("run.sh", "new").bytes()), ExtractOptions.DEFAULT);
        assertEquals("new", Files.readString(root.resolve("srv/app/run.sh")));
        assertEquals("#!/bin/sh\necho hi\n", Files.readString(root.resolve("srv/app/run-again.sh")), "a file is replaced, not written through its other links");
    }

    @Test
    void ownersComeFromTheArchiveOrTheGivenOwner() throws Exception {
        byte[] tar = new TestTar().dir("d/", 0750).file("d/f", "f", 0640, 1001, 1002).symlink("d/l", "f").bytes();
        files.extractTar("/srv", new ByteArrayInputStream(tar), ExtractOptions.DEFAULT);
        assertEquals(1001, Files.getAttribute(root.resolve("srv/d/f"), "unix:uid", LinkOption.NOFOLLOW_LINKS));
        assertEquals(0640, (Integer) Files.getAttribute(root.resolve("srv/d/f"), "unix:mode") & 07777);
        assertEquals(0750, (Integer) Files.getAttribute(root.resolve("srv/d"), "unix:mode") & 07777);
        assertEquals(TestTar.MTIME, Files.getLastModifiedTime(root.resolve("srv/d")).toInstant(), "directory times are set last");

        files.extractTar("/srv", new ByteArrayInputStream(tar), new ExtractOptions(false, new ExtractOptions.Owner(33, 44)));
        for (String p : List.of("srv/d", "srv/d/f", "srv/d/l")) {
            assertEquals(33, Files.getAttribute(root.resolve(p), "unix:uid", LinkOption.NOFOLLOW_LINKS), p);
            assertEquals(44, Files.getAttribute(root.resolve(p), "unix:gid", LinkOption.NOFOLLOW_LINKS), p);
        }
    }

    @Test
    void impliedDirectoriesAreMadeAndTextXattrsSet() throws Exception {
        byte[] tar = new TestTar().xattr("deep/er/f", "f", "user.note", "hello").fifo("deep/p").bytes();
        files.extractTar("/srv", new ByteArrayInputStream(tar), ExtractOptions.DEFAULT);
        Map<String, Object> a = Files.readAttributes(root.resolve("srv/deep/er"), "unix:mode,uid");
        assertEquals(0040755, a.get("mode"));
        assertEquals(0, a.get("uid"));
        assertEquals("hello", new String(sys.lgetxattr(root.resolve("srv/deep/er/f").toString(), "user.note"), StandardCharsets.UTF_8));
        assertEquals(0010600, Files.getAttribute(root.resolve("srv/deep/p"), "unix:mode", LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aRootThatIsALinkStandsForItsDirectory() throws Exception {
        // a running container's root is the link /proc/PID/root
        ContainerFiles running = new ContainerFiles("running", Files.createSymbolicLink(tmp.resolve("pid-root"), root), sys);
        assertTrue(running.stat("/").isDirectory(), "/ is a directory");
        running.extractTar("/", new ByteArrayInputStream(new TestTar().file("top", "at the top").file("srv/www/page", "deep").bytes()),
                ExtractOptions.DEFAULT);
        assertEquals("at the top", Files.readString(root.resolve("top")));
        assertEquals("deep", Files.readString(root.resolve("srv/www/page")));
    }

    private byte[] tar(String path) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        files.writeTar(path, out);
        return out.toByteArray();
    }

    static List<TarArchiveEntry> entries(byte[] tar) throws IOException {
        List<TarArchiveEntry> out = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar), "UTF-8")) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) out.add(e);
        }
        return out;
    }

    static List<String> names(byte[] tar) throws IOException {
        return entries(tar).stream().map(TarArchiveEntry::getName).toList();
    }
}
