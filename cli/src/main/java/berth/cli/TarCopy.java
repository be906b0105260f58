package berth.cli;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The local side of {@code cp}: a file tree written as a tar stream under a chosen top-level name, and a
 * tar stream from the daemon extracted with its top-level name replaced by a local path. Entries that
 * would land outside that path ({@code ..}, absolute names) are refused.
 */
final class TarCopy {
    private TarCopy() {}

    private static final PosixFilePermission[] BITS = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};

    /** Writes {@code source} (a file, link or directory tree) as entries named {@code top/...}. */
    static void write(Path source, String top, OutputStream out) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(source)) {
            paths = walk.toList();
        }
        for (Path p : paths) {
            String rel = source.relativize(p).toString();
            String name = top.equals(".") ? (rel.isEmpty() ? "." : rel) : rel.isEmpty() ? top : top + "/" + rel;
            entry(tar, p, name);
        }
        tar.finish();
        tar.flush();
    }

    private static void entry(TarArchiveOutputStream tar, Path p, String name) throws IOException {
        boolean link = Files.isSymbolicLink(p);
        boolean dir = !link && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
        TarArchiveEntry e;
        if (link) {
            e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
            e.setLinkName(Files.readSymbolicLink(p).toString());
        } else {
            e = new TarArchiveEntry(dir ? name + "/" : name);
            if (!dir) e.setSize(Files.size(p));
        }
        Object mode = Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        Object uid = Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        Object gid = Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
        e.setMode((Integer) mode);
        e.setUserId((Integer) uid);
        e.setGroupId((Integer) gid);
        e.setModTime(Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis());
        tar.putArchiveEntry(e);
        if (!link && !dir) {
            try (InputStream in = Files.newInputStream(p)) {
                in.transferTo(tar);
            }
        }
        tar.closeArchiveEntry();
    }

    /** Extracts entries named {@code top} or {@code top/...} to {@code root} or {@code root/...}. */
    static void extract(InputStream in, String top, Path root) throws IOException {
        Path base = root.toAbsolutePath().normalize();
        TarArchiveInputStream tar = new TarArchiveInputStream(in);
        for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
            Path target = rebase(e.getName(), top, base);
            if (target == null) continue;
            if (e.isDirectory()) {
                Files.createDirectories(target);
            } else if (e.isSymbolicLink()) {
                Files.deleteIfExists(target);
                Files.createSymbolicLink(target, Path.of(e.getLinkName()));
            } else if (e.isLink()) {
                Path linked = rebase(e.getLinkName(), top, base);
                if (linked == null) throw new IOException("hard link " + e.getName() + " points outside the copied tree: " + e.getLinkName());
                Files.deleteIfExists(target);
                Files.createLink(target, linked);
            } else if (e.isFile()) {
                Files.deleteIfExists(target);
                try (OutputStream out = Files.newOutputStream(target)) {
                    tar.transferTo(out);
                }
            } else {
                continue; // devices and fifos are not recreated by an unprivileged-looking copy
            }
            if (!e.isSymbolicLink()) {
                Files.setPosixFilePermissions(target, permissions(e.getMode()));
                Files.setLastModifiedTime(target, FileTime.fromMillis(e.getModTime().getTime()));
            }
        }
    }

    private static Path rebase(String entryName, String top, Path base) throws IOException {
        String name = entryName.startsWith("./") ? entryName.substring(2) : entryName;
        while (name.endsWith("/")) name = name.substring(0, name.length() - 1);
        String rel;
        if (top.equals(".") || top.isEmpty()) rel = name.equals(".") ? "" : name;
        else if (name.equals(top)) rel = "";
        else if (name.startsWith(top + "/")) rel = name.substring(top.length() + 1);
        else return null;
        Path target = rel.isEmpty() ? base : base.resolve(rel).normalize();
        if (!target.startsWith(base)) throw new IOException("refusing to extract " + entryName + ": it lands outside " + base);
        Path parent = target.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            try {
                Files.createDirectories(parent);
            } catch (FileAlreadyExistsException ex) {
                throw new IOException("cannot extract " + entryName + ": " + parent + " is not a directory");
            }
        }
        return target;
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < BITS.length; i++) if ((mode & (1 << i)) != 0) s.add(BITS[i]);
        return s;
    }
}
