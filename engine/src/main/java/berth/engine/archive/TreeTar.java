package berth.engine.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes files and directory trees of the host as tar entries the way moby's {@code TarWithOptions} does:
 * PAX where needed, numeric owners without names, modes with the setuid, setgid and sticky bits, whole-second
 * mtimes, symbolic links as links (never followed), a file seen again through another hard link as a link
 * entry to its first name, devices and fifos as such; sockets are left out. Directories are walked in name
 * order. Extended attributes are not written. A file that changes size while it is read still takes exactly
 * the size its header announced (cut, or padded with zeros), so the stream stays a valid tar.
 */
final class TreeTar {
    private final TarArchiveOutputStream tar;
    /** "dev:ino" of files with more than one link, to the name they were first written under. */
    private final Map<String, String> firstNames = new HashMap<>();
    private final byte[] buffer = new byte[1 << 16];

    TreeTar(OutputStream out) {
        tar = new TarArchiveOutputStream(out, "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
    }

    /**
     * Writes the directory {@code dir} and everything below it. The directory itself is written as
     * {@code rootName} (skipped if null), each file below it as {@code childPrefix} + its path relative to
     * {@code dir}.
     */
    void addTree(Path dir, String rootName, String childPrefix) throws IOException {
        if (rootName != null) add(dir, rootName);
        addChildren(dir, childPrefix);
    }

    private void addChildren(Path dir, String prefix) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) children.add(p);
        } catch (NoSuchFileException e) {
            return; // removed while we walked
        }
        children.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        for (Path child : children) {
            String name = prefix + child.getFileName();
            if (add(child, name)) addChildren(child, name + "/");
        }
    }

    /** Writes one entry for {@code file} itself; returns true if it is a directory. */
    boolean add(Path file, String name) throws IOException {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(file, "unix:*", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return false; // removed while we walked
        }
        int mode = (Integer) a.get("mode");
        int type = mode & GoFileMode.S_IFMT;
        if (type == GoFileMode.S_IFSOCK) return false;
        boolean dir = type == GoFileMode.S_IFDIR;
        TarArchiveEntry e;
        long size = 0;
        String key = a.get("dev") + ":" + a.get("ino");
        String first = !dir && (Integer) a.get("nlink") > 1 ? firstNames.get(key) : null;
        if (first != null) {
            e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
            e.setLinkName(first);
        } else {
            switch (type) {
                case GoFileMode.S_IFDIR -> e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, true);
                case GoFileMode.S_IFLNK -> {
                    e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
                    e.setLinkName(Files.readSymbolicLink(file).toString());
                }
                case GoFileMode.S_IFCHR, GoFileMode.S_IFBLK -> {
                    e = new TarArchiveEntry(name, type == GoFileMode.S_IFCHR ? TarConstants.LF_CHR : TarConstants.LF_BLK, true);
                    long rdev = (Long) a.get("rdev");
                    e.setDevMajor((int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL)));
                    e.setDevMinor((int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL)));
                }
                case GoFileMode.S_IFIFO -> e = new TarArchiveEntry(name, TarConstants.LF_FIFO, true);
                default -> {
                    e = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
                    size = (Long) a.get("size");
                    e.setSize(size);
                }
            }
            if (!dir && (Integer) a.get("nlink") > 1) firstNames.put(key, name);
        }
        e.setMode(mode & 07777);
        e.setIds((Integer) a.get("uid"), (Integer) a.get("gid"));
        long seconds = ((FileTime) a.get("lastModifiedTime")).toInstant().getEpochSecond();
        e.setModTime(FileTime.from(Instant.ofEpochSecond(seconds)));
        tar.putArchiveEntry(e);
        if (size > 0) copyExactly(file, size);
        tar.closeArchiveEntry();
        return dir;
    }

    /** Writes the end of the archive and flushes; the stream under it stays open. */
    void finish() throws IOException {
        tar.finish();
        tar.flush();
    }

    private void copyExactly(Path file, long size) throws IOException {
        long left = size;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
             InputStream in = Channels.newInputStream(ch)) {
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) break;
                tar.write(buffer, 0, n);
                left -= n;
            }
        } catch (NoSuchFileException e) {
            // removed after its header was written: zeros stand in for it
        }
        if (left > 0) Arrays.fill(buffer, (byte) 0);
        while (left > 0) {
            int n = (int) Math.min(buffer.length, left);
            tar.write(buffer, 0, n);
            left -= n;
        }
    }
}
