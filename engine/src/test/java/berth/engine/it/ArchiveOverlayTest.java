package berth.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import berth.engine.archive.ContainerFiles;
import berth.engine.archive.ExtractOptions;
import berth.engine.archive.Trees;
import berth.sys.LinuxSyscalls;
import berth.sys.Syscalls;

/**
 * docker cp into a container whose root is a real overlay mount (needs root): what the archive replaces in
 * the image's layer ends up as plain files in the upper directory, with no whiteout left behind, and the
 * lower directory is untouched.
 */
class ArchiveOverlayTest {
    private static final int MNT_DETACH = 2;
    private final Syscalls sys = new LinuxSyscalls();
    @TempDir
    Path tmp;

    @Test
    void extractIntoAnOverlayLeavesNoWhiteouts() throws Exception {
        Path lower = Files.createDirectories(tmp.resolve("lower"));
        Files.createDirectories(lower.resolve("etc"));
        Files.writeString(lower.resolve("etc/conf"), "image\n");
        Files.createDirectories(lower.resolve("data/olddir"));
        Files.writeString(lower.resolve("data/olddir/f"), "old\n");
        Files.createDirectories(lower.resolve("srv/keep"));
        Files.writeString(lower.resolve("srv/keep/k"), "kept\n");
        Path lower2 = Files.createDirectories(tmp.resolve("lower2/bin"));
        Files.writeString(lower2.resolve("tool"), "v1\n");
        Path upper = Files.createDirectories(tmp.resolve("upper"));
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path merged = Files.createDirectories(tmp.resolve("merged"));
        Map<String, String> lowerBefore = Trees.describe(tmp.resolve("lower"), null, sys);

        sys.mountOverlay(merged.toString(), List.of(tmp.resolve("lower2").toString(), lower.toString()), upper.toString(), work.toString());
        try {
            Map<String, String> entries = new LinkedHashMap<>(); // a null content is a directory
            entries.put("etc/conf", "copied\n");
            entries.put("etc/new", "new\n");
            entries.put("data/olddir", "a file now\n");
            entries.put("srv/keep/", null);
            entries.put("srv/keep/added", "added\n");
            entries.put("bin/tool", "v2\n");
            byte[] tar = tar(entries);
            new ContainerFiles("overlay", merged, sys).extractTar("/", new ByteArrayInputStream(tar), ExtractOptions.DEFAULT);

            assertEquals("copied\n", Files.readString(merged.resolve("etc/conf")));
            assertEquals("a file now\n", Files.readString(merged.resolve("data/olddir")));
            assertEquals("kept\n", Files.readString(merged.resolve("srv/keep/k")), "a directory over a directory merges");
            assertEquals("v2\n", Files.readString(merged.resolve("bin/tool")));

            for (String p : List.of("etc/conf", "etc/new", "data/olddir", "srv/keep/added", "bin/tool")) {
                assertTrue(Files.isRegularFile(upper.resolve(p), LinkOption.NOFOLLOW_LINKS), p + " is a plain file in the upper directory");
            }
            assertFalse(Files.exists(upper.resolve("srv/keep/k"), LinkOption.NOFOLLOW_LINKS), "the merged directory did not copy up its lower files");
            assertEquals(List.of(), whiteouts(upper));
        } finally {
            sys.umount(merged.toString(), MNT_DETACH);
        }
        assertEquals(lowerBefore, Trees.describe(tmp.resolve("lower"), null, sys), "the image layer did not change");
        assertEquals("v1\n", Files.readString(lower2.resolve("tool")));
    }

    /** overlayfs whiteouts: character devices 0/0. */
    private static List<String> whiteouts(Path upper) throws Exception {
        List<String> found = new ArrayList<>();
        try (var walk = Files.walk(upper)) {
            for (Path p : walk.toList()) {
                Map<String, Object> a = Files.readAttributes(p, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
                if (((Integer) a.get("mode") & 0170000) == 0020000 && (Long) a.get("rdev") == 0) found.add(upper.relativize(p).toString());
            }
        }
        return found;
    }

    private static byte[] tar(Map<String, String> entries) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                byte[] content = e.getValue() == null ? new byte[0] : e.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey(), e.getValue() == null ? TarConstants.LF_DIR : TarConstants.LF_NORMAL, true);
                entry.setMode(e.getValue() == null ? 0755 : 0644);
                entry.setSize(content.length);
                entry.setModTime(FileTime.fromMillis(0));
                t.putArchiveEntry(entry);
                t.write(content);
                t.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }
}
