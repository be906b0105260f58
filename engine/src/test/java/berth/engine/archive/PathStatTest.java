package berth.engine.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import berth.sys.LinuxSyscalls;
import berth.sys.Syscalls;

/** Stat of files, directories, links and missing paths, with Go's FileMode constants written out as Go has them. */
class PathStatTest {
    // Go's os.FileMode constants (io/fs)
    private static final long MODE_DIR = 2147483648L, MODE_SYMLINK = 134217728L, MODE_DEVICE = 67108864L,
            MODE_NAMED_PIPE = 33554432L, MODE_SETUID = 8388608L, MODE_SETGID = 4194304L, MODE_CHAR_DEVICE = 2097152L,
            MODE_STICKY = 1048576L, MODE_SOCKET = 16777216L;

    private final Syscalls sys = new LinuxSyscalls();
    @TempDir
    Path tmp;
    private Path root;
    private ContainerFiles files;

    @BeforeEach
    void container() throws Exception {
        root = Files.createDirectory(tmp.resolve("root"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/hosts"), "127.0.0.1 localhost\n");
        Files.setLastModifiedTime(root.resolve("etc/hosts"), FileTime.from(Instant.parse("2021-03-04T05:06:07.5Z")));
        files = new ContainerFiles("c0ffee", root, sys);
    }

    @Test
    void goFileModeConstants() {
        assertEquals(MODE_DIR | 0755, GoFileMode.of(0040755));
        assertEquals(2147484141L, GoFileMode.of(0040755));
        assertEquals(MODE_SYMLINK | 0777, GoFileMode.of(0120777));
        assertEquals(0644, GoFileMode.of(0100644));
        assertEquals(MODE_DEVICE | MODE_CHAR_DEVICE | 0666, GoFileMode.of(0020666));
        assertEquals(MODE_DEVICE | 0660, GoFileMode.of(0060660));
        assertEquals(MODE_NAMED_PIPE | 0600, GoFileMode.of(0010600));
        assertEquals(MODE_SOCKET | 0755, GoFileMode.of(0140755));
        assertEquals(MODE_SETUID | MODE_SETGID | 0755, GoFileMode.of(0106755));
        assertEquals(MODE_DIR | MODE_STICKY | 0777, GoFileMode.of(0041777));
    }

    @Test
    void file() throws Exception {
        sys.lchmod(root.resolve("etc/hosts").toString(), 04711);
        PathStat s = files.stat("etc/hosts");
        assertEquals(new PathStat("hosts", 20, MODE_SETUID | 0711, Instant.parse("2021-03-04T05:06:07.5Z"), ""), s);
        JsonNode json = new ObjectMapper().readTree(Base64.getDecoder().decode(s.headerValue()));
        assertEquals("hosts", json.get("name").asText());
        assertEquals(20, json.get("size").asLong());
        assertEquals(MODE_SETUID | 0711, json.get("mode").asLong());
        assertEquals("2021-03-04T05:06:07.5Z", json.get("mtime").asText());
        assertEquals("", json.get("linkTarget").asText());
    }

    @Test
    void directoryAndTrailingDot() throws Exception {
        sys.lchmod(root.resolve("etc").toString(), 0755);
        PathStat s = files.stat("/etc");
        assertEquals("etc", s.name());
        assertEquals(2147484141L, s.mode());
        assertEquals(".", files.stat("/etc/.").name());
        assertEquals("etc", files.stat("/etc/").name());
        assertEquals("/", files.stat("/").name());
        assertThrows(ArchiveException.Invalid.class, () -> files.stat("/etc/hosts/"));
    }

    @Test
    void symbolicLinksResolveInsideTheRoot() throws Exception {
        Files.createSymbolicLink(root.resolve("escape"), Path.of("/../../../etc/hosts"));
        Files.createSymbolicLink(root.resolve("rel"), Path.of("etc/../etc/./hosts"));
        Files.createSymbolicLink(root.resolve("broken"), Path.of("/nowhere/at/all"));
        Files.createSymbolicLink(root.resolve("etcdir"), Path.of("etc"));
        PathStat s = files.stat("escape");
        assertEquals(MODE_SYMLINK | 0777, s.mode());
        assertEquals("/../../../etc/hosts".length(), s.size());
        assertEquals("/etc/hosts", s.linkTarget());
        assertEquals("/etc/hosts", files.stat("rel").linkTarget());
        assertEquals("/nowhere/at/all", files.stat("broken").linkTarget());
        assertEquals(MODE_DIR, files.stat("etcdir/").mode() & MODE_DIR, "a trailing slash follows the link");
        assertEquals("hosts", files.stat("/etcdir/hosts").name());
    }

    @Test
    void linkLoopsAreRefused() throws Exception {
        Files.createSymbolicLink(root.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(root.resolve("b"), Path.of("a"));
        ArchiveException.Invalid e = assertThrows(ArchiveException.Invalid.class, () -> files.stat("a/"));
        assertEquals("resolve /a/: too many levels of symbolic links", e.getMessage());
    }

    @Test
    void missingPathIsNotFound() {
        ArchiveException.NotFound e = assertThrows(ArchiveException.NotFound.class, () -> files.stat("/no/such"));
        assertEquals("Could not find the file /no/such in container c0ffee", e.getMessage());
        assertThrows(ArchiveException.NotFound.class, () -> files.writeTar("nothing", java.io.OutputStream.nullOutputStream()));
    }

    @Test
    void mtimeIsRfc3339NanoInUtc() {
        assertEquals("2021-03-04T05:06:07Z", PathStat.rfc3339Nano(Instant.parse("2021-03-04T05:06:07Z")));
        assertEquals("2021-03-04T05:06:07.000000001Z", PathStat.rfc3339Nano(Instant.parse("2021-03-04T05:06:07.000000001Z")));
        assertEquals("2021-03-04T05:06:07.12Z", PathStat.rfc3339Nano(Instant.parse("2021-03-04T05:06:07.120Z")));
        assertEquals(new String(Base64.getDecoder().decode(new PathStat("x", 1, 2, Instant.EPOCH, "").headerValue()), StandardCharsets.UTF_8),
                "{\"name\":\"x\",\"size\":1,\"mode\":2,\"mtime\":\"1970-01-01T00:00:00Z\",\"linkTarget\":\"\"}");
    }
}
