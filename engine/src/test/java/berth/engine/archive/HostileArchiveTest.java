package berth.engine.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import berth.sys.LinuxSyscalls;
import berth.sys.Syscalls;

/**
 * Archives and container roots made to reach the host. The container root is {@code tmp/root}, next to
 * {@code tmp/host} with a secret in it; after each test nothing in {@code tmp} outside the root may have
 * changed: no file, mode, owner, time or xattr.
 */
class HostileArchiveTest {
    private final Syscalls sys = new LinuxSyscalls();
    @TempDir
    Path tmp;
    private Path root;
    private ContainerFiles files;
    private Map<String, String> before;

    @BeforeEach
    void sentinel() throws IOException {
        root = Files.createDirectory(tmp.resolve("root"));
        Files.createDirectories(root.resolve("dst"));
        Path host = Files.createDirectories(tmp.resolve("host/etc"));
        Files.writeString(host.resolve("passwd"), "root:x:0:0::/root:/bin/sh\n");
        Files.setLastModifiedTime(host.resolve("passwd"), FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
        Files.setLastModifiedTime(host, FileTime.from(Instant.parse("2002-02-02T00:00:00Z")));
        files = new ContainerFiles("evil", root, sys);
        before = Trees.describe(tmp, root, sys);
    }

    @AfterEach
    void nothingOutsideChanged() throws IOException {
        assertEquals(before, Trees.describe(tmp, root, sys), "something outside the container root changed");
    }

    private void extract(String dir, byte[] tar) {
        files.extractTar(dir, new ByteArrayInputStream(tar), ExtractOptions.DEFAULT);
    }

    @Test
    void dotDotNamesAreRefused() {
        ArchiveException.Invalid e = assertThrows(ArchiveException.Invalid.class,
                () -> extract("/dst", new TestTar().file("../../host/etc/passwd", "pwned").bytes()));
        assertEquals("extract \"../../host/etc/passwd\": it is outside of \"/dst\"", e.getMessage());
        assertThrows(ArchiveException.Invalid.class, () -> extract("/dst", new TestTar().file("a/../../x", "x").bytes()));
    }

    @Test
    void absoluteNamesCountFromTheExtractionDirectory() throws IOException {
        extract("/dst", new TestTar().file("/../../host/etc/passwd", "inside").file("/etc/hosts", "hosts").bytes());
        assertEquals("inside", Files.readString(root.resolve("dst/host/etc/passwd")));
        assertEquals("hosts", Files.readString(root.resolve("dst/etc/hosts")));
    }

    @Test
    void aLinkThenWritingThroughItStaysInTheRoot() throws IOException {
        extract("/dst", new TestTar().symlink("up", "/").file("up/host/etc/passwd", "through").bytes());
        assertEquals("through", Files.readString(root.resolve("host/etc/passwd")), "the link leads to the container's /");
    }

    @Test
    void linksClimbingOutOfTheDirectoryAreRefused() {
        ArchiveException.Invalid e = assertThrows(ArchiveException.Invalid.class,
                () -> extract("/dst", new TestTar().symlink("up", "../../../host").file("up/etc/passwd", "x").bytes()));
        assertEquals("extract \"up\": invalid symbolic link to \"../../../host\": it leads out of \"/dst\"", e.getMessage());
        assertThrows(ArchiveException.Invalid.class,
                () -> extract("/dst", new TestTar().hardlink("pw", "../../host/etc/passwd").bytes()));
    }

    @Test
    void plantedLinksInTheRootLeadBackIntoIt() throws IOException {
        Files.createDirectories(root.resolve("host/etc"));
        Files.createSymbolicLink(root.resolve("etc"), Path.of("/../../../host/etc"));
        Files.createSymbolicLink(root.resolve("dst/hop"), Path.of("../../../../../.."));
        extract("/etc", new TestTar().file("passwd", "planted").bytes());
        assertEquals("planted", Files.readString(root.resolve("host/etc/passwd")));
        extract("/dst", new TestTar().file("hop/host/etc/shadow", "hop").hardlink("hop/host/etc/pw2", "/hop/host/etc/passwd").bytes());
        assertEquals("hop", Files.readString(root.resolve("host/etc/shadow")));
        assertEquals("planted", Files.readString(root.resolve("host/etc/pw2")));
    }

    @Test
    void aLinkEntryReplacesAnEntryAndIsNotWrittenThrough() throws IOException {
        Files.createSymbolicLink(root.resolve("dst/target"), tmp.resolve("host/etc/passwd"));
        extract("/dst", new TestTar().file("target", "replaced").bytes());
        assertFalse(Files.isSymbolicLink(root.resolve("dst/target")));
        assertEquals("replaced", Files.readString(root.resolve("dst/target")));
    }

    @Test
    void directoryTimesAreNotSetThroughALaterLink() throws IOException {
        Files.createSymbolicLink(root.resolve("dst/escape"), tmp.resolve("host"));
        // "e/etc/" gets its times at the end, when "e" has become a link to a link to the host's tmp/host
        extract("/dst", new TestTar().dir("e/", 0755).dir("e/etc/", 0755).symlink("e", "escape").bytes());
        assertTrue(Files.isSymbolicLink(root.resolve("dst/e")));
    }

    @Test
    void statAndCopyOutNeverLeaveTheRoot() throws IOException {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "container\n");
        Files.createSymbolicLink(root.resolve("dst/pw"), Path.of("../../../host/etc/passwd"));
        Files.createSymbolicLink(root.resolve("dst/hostdir"), tmp.resolve("host/etc"));
        assertEquals("/host/etc/passwd", files.stat("/dst/pw").linkTarget(), ".. stops at the container's root");
        assertEquals("container\n".length(), files.stat("/dst/../../../etc/passwd").size());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThrows(ArchiveException.NotFound.class, () -> files.writeTar("/dst/pw/", out), "the link leads to /host/etc/passwd in the container");
        assertThrows(ArchiveException.Invalid.class, () -> files.writeTar("/etc/passwd/", out), "a trailing slash asks for a directory");
        files.writeTar("/dst", out);
        for (TarArchiveEntry e : ContainerFilesTest.entries(out.toByteArray())) {
            assertFalse(e.isFile() && e.getSize() > 0, "no file content from outside: " + e.getName());
        }
        assertThrows(ArchiveException.NotFound.class, () -> files.stat("/dst/hostdir/passwd"), "the host path does not exist in the container");
    }
}
