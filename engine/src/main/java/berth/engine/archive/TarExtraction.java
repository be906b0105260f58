package berth.engine.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import berth.sys.Errno;
import berth.sys.SysException;
import berth.sys.Syscalls;

/**
 * Extracts one tar stream into a directory of a container's root filesystem with the semantics of moby's
 * {@code Untar} for {@code PUT /containers/{id}/archive}: names are cleaned and one that climbs out of the
 * directory ({@code ../x}) is refused, an absolute name counts from the directory, a symbolic link or hard
 * link entry whose target climbs out of it is refused, what is in the way of an entry is replaced (a
 * directory over a directory merges), missing parents are made (0755, root's), owners, modes with the setuid,
 * setgid and sticky bits, extended attributes and times are set, directories' times last.
 *
 * <p>Every entry's parent is resolved inside the container's root ({@link InRoot}), so a symbolic link
 * anywhere on the way, planted by the container or by an earlier entry, is followed as the container would
 * see it and never leads out of the root; the entry itself is created without following a link, and a file
 * is always created anew, never written through what was there. A hard link entry sets no metadata: its
 * file already has the metadata of the entry it links to.
 */
final class TarExtraction {
    private static final String XATTR = "SCHILY.xattr.";
    private static final String OVERLAY_XATTRS = "trusted.overlay.";
    private static final int EOPNOTSUPP = 95;
    private static final int S_IFCHR = 0020000, S_IFBLK = 0060000, S_IFIFO = 0010000;
    private static final System.Logger LOG = System.getLogger(TarExtraction.class.getName());

    private enum Type { DIRECTORY, FILE, SYMLINK, HARDLINK, CHAR_DEVICE, BLOCK_DEVICE, FIFO }

    private final InRoot root;
    private final Syscalls sys;
    /** The extraction directory: absolute and clean, its links resolved. */
    private final String dest;
    private final ExtractOptions options;
    /** Directory entries' container paths to {atime, mtime} in nanoseconds, in the order they came. */
    private final Map<String, long[]> directoryTimes = new LinkedHashMap<>();
    private final byte[] buffer = new byte[1 << 17];

    TarExtraction(InRoot root, Syscalls sys, String dest, ExtractOptions options) {
        this.root = root;
        this.sys = sys;
        this.dest = dest;
        this.options = options;
    }

    /** Extracts every entry of the (uncompressed) tar stream {@code in}. */
    void extract(InputStream in) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(in, StandardCharsets.UTF_8.name());
        String previous = null;
        while (true) {
            TarArchiveEntry e;
            try {
                e = tar.getNextEntry();
            } catch (IOException | RuntimeException x) {
                String after = previous == null ? "at its start" : "after entry " + ArchiveException.quote(previous);
                throw new ArchiveException.Invalid("extract: bad tar header " + after + ": " + ArchiveException.describe(x));
            }
            if (e == null) break;
            try {
                entry(e, tar);
            } catch (IOException | SysException | InvalidPathException | UncheckedIOException x) {
                throw new ArchiveException("extract " + ArchiveException.quote(e.getName()) + ": " + ArchiveException.describe(x), x);
            }
            previous = e.getName();
        }
        setDirectoryTimes();
    }

    private void entry(TarArchiveEntry e, InputStream content) throws IOException {
        String raw = e.getName();
        Type type = type(e);
        if (raw.indexOf('\0') >= 0) throw invalid(raw, "the name holds a NUL byte");
        String name = GoPaths.clean(raw);
        if (name.equals("..") || name.startsWith("../")) throw invalid(raw, "it is outside of " + ArchiveException.quote(dest));
        String path = GoPaths.join(dest, name);
        if (path.equals(dest)) {
            if (type == Type.DIRECTORY) return; // the extraction directory keeps its own owner, mode and times
            throw invalid(raw, "a non-directory cannot replace the extraction directory " + ArchiveException.quote(dest));
        }
        Path host = directory(GoPaths.dir(path)).resolve(GoPaths.base(path));
        makeRoom(raw, path, host, type == Type.DIRECTORY);
        switch (type) {
            case DIRECTORY -> {
                if (InRoot.lstat(host) == null) Files.createDirectory(host);
                directoryTimes.remove(path);
                directoryTimes.put(path, times(e));
            }
            case FILE -> writeFile(host, content);
            case SYMLINK -> symlink(e, raw, path, host);
            case HARDLINK -> {
                hardlink(e, raw, host);
                return;
            }
            case CHAR_DEVICE, BLOCK_DEVICE, FIFO -> {
                int kind = type == Type.CHAR_DEVICE ? S_IFCHR : type == Type.BLOCK_DEVICE ? S_IFBLK : S_IFIFO;
                sys.mknod(host.toString(), kind | (e.getMode() & 0777), e.getDevMajor(), e.getDevMinor());
            }
        }
        setOwner(e, raw, host);
        setXattrs(e, raw, host);
        if (type != Type.SYMLINK) sys.lchmod(host.toString(), e.getMode() & 07777);
        if (type != Type.DIRECTORY) {
            long[] t = times(e);
            sys.lutimes(host.toString(), t[0], t[1]);
        }
    }

    /**
     * Clears the way for an entry at {@code host}: an existing directory stays for a directory entry,
     * anything else is removed (a directory with all in it), unless {@link ExtractOptions#noOverwriteDirNonDir}
     * forbids it.
     */
    private void makeRoom(String raw, String path, Path host, boolean directory) throws IOException {
        BasicFileAttributes old = InRoot.lstat(host);
        if (old == null || (old.isDirectory() && directory)) return;
        if (options.noOverwriteDirNonDir() && old.isDirectory()) {
            throw new ArchiveException("extract " + ArchiveException.quote(raw) + ": cannot overwrite directory "
                    + ArchiveException.quote(path) + " with a non-directory");
        }
        if (options.noOverwriteDirNonDir() && directory) {
            throw new ArchiveException("extract " + ArchiveException.quote(raw) + ": cannot overwrite non-directory "
                    + ArchiveException.quote(path) + " with a directory");
        }
        removeAll(host);
    }

    /**
     * The host path of the directory at container path {@code path}, resolved in the root; missing ones are
     * made, 0755 and owned by root, as moby makes a tar's implied directories.
     */
    private Path directory(String path) throws IOException {
        InRoot.Resolved r = root.resolve(path, true);
        BasicFileAttributes a = root.attributes(r.host());
        if (a != null) {
            if (!a.isDirectory()) throw new IOException(r.path() + " is not a directory");
            return r.host();
        }
        directory(GoPaths.dir(r.path()));
        Files.createDirectory(r.host());
        Files.setAttribute(r.host(), "unix:uid", 0, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(r.host(), "unix:gid", 0, LinkOption.NOFOLLOW_LINKS);
        sys.lchmod(r.host().toString(), 0755);
        return r.host();
    }

    private void writeFile(Path host, InputStream content) throws IOException {
        try (FileChannel ch = FileChannel.open(host, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            for (int n; (n = content.read(buffer)) > 0; ) {
                ByteBuffer b = ByteBuffer.wrap(buffer, 0, n);
                while (b.hasRemaining()) ch.write(b);
            }
        }
    }

    /** moby refuses a link whose target, taken from the link's directory, climbs out of the extraction directory. */
    private void symlink(TarArchiveEntry e, String raw, String path, Path host) throws IOException {
        String target = e.getLinkName();
        if (target.isEmpty() || target.indexOf('\0') >= 0) throw invalid(raw, "the symbolic link target is empty or holds a NUL byte");
        if (!GoPaths.within(GoPaths.join(GoPaths.dir(path), target), dest)) {
            throw invalid(raw, "invalid symbolic link to " + ArchiveException.quote(target) + ": it leads out of " + ArchiveException.quote(dest));
        }
        Files.createSymbolicLink(host, host.getFileSystem().getPath(target));
    }

    /** The target is named from the extraction directory and must be in it; link(2) follows no link. */
    private void hardlink(TarArchiveEntry e, String raw, Path host) throws IOException {
        String link = e.getLinkName();
        String target = GoPaths.join(dest, link);
        if (!GoPaths.within(target, dest) || target.equals(dest)) {
            throw invalid(raw, "invalid hard link to " + ArchiveException.quote(link) + ": it is outside of " + ArchiveException.quote(dest));
        }
        Path existing = directory(GoPaths.dir(target)).resolve(GoPaths.base(target));
        BasicFileAttributes a = InRoot.lstat(existing);
        if (a == null) throw invalid(raw, "hard link target " + ArchiveException.quote(link) + " does not exist");
        if (a.isDirectory()) throw invalid(raw, "hard link target " + ArchiveException.quote(link) + " is a directory");
        Files.createLink(host, existing);
    }

    /** Owner first: chown clears the setuid and setgid bits that the mode then sets. */
    private void setOwner(TarArchiveEntry e, String raw, Path host) throws IOException {
        long uid = options.owner() != null ? options.owner().uid() : e.getLongUserId();
        long gid = options.owner() != null ? options.owner().gid() : e.getLongGroupId();
        if (uid < 0 || gid < 0 || uid > 0xffff_fffeL || gid > 0xffff_fffeL) throw invalid(raw, "owner " + uid + ":" + gid + " is out of range");
        Files.setAttribute(host, "unix:uid", (int) uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(host, "unix:gid", (int) gid, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * The entry's {@code SCHILY.xattr.*} records. overlayfs's own attributes are never set from an archive; one
     * the file system refuses (EPERM, EOPNOTSUPP, as moby tolerates) or whose binary value the tar reader could
     * not keep is logged and left out.
     */
    private void setXattrs(TarArchiveEntry e, String raw, Path host) {
        for (Map.Entry<String, String> h : e.getExtraPaxHeaders().entrySet()) {
            if (!h.getKey().startsWith(XATTR)) continue;
            String xattr = h.getKey().substring(XATTR.length());
            String where = "extract " + ArchiveException.quote(raw) + ": xattr " + xattr + " not set: ";
            if (xattr.startsWith(OVERLAY_XATTRS)) {
                LOG.log(System.Logger.Level.WARNING, where + "overlayfs's own");
            } else if (h.getValue().indexOf('\uFFFD') >= 0) {
                LOG.log(System.Logger.Level.WARNING, where + "its value is binary, which the tar reader does not keep");
            } else {
                try {
                    sys.lsetxattr(host.toString(), xattr, h.getValue().getBytes(StandardCharsets.UTF_8));
                } catch (SysException x) {
                    if (x.errno() != Errno.EPERM && x.errno() != EOPNOTSUPP) throw x;
                    LOG.log(System.Logger.Level.WARNING, where + Errno.name(x.errno()));
                }
            }
        }
    }

    /** Directories get their times once nothing more is written into them; one since replaced is skipped. */
    private void setDirectoryTimes() throws IOException {
        for (Map.Entry<String, long[]> d : directoryTimes.entrySet()) {
            InRoot.Resolved r = root.resolve(d.getKey(), false);
            BasicFileAttributes a = InRoot.lstat(r.host());
            if (a != null && a.isDirectory()) sys.lutimes(r.host().toString(), d.getValue()[0], d.getValue()[1]);
        }
    }

    /** {atime, mtime}: the access time is the later of the two, as moby sets it; no time before 1970. */
    private static long[] times(TarArchiveEntry e) {
        long mtime = Math.max(0, e.getLastModifiedTime().to(TimeUnit.NANOSECONDS));
        FileTime at = e.getLastAccessTime();
        long atime = at == null ? mtime : Math.max(mtime, at.to(TimeUnit.NANOSECONDS));
        return new long[] {atime, mtime};
    }

    private static Type type(TarArchiveEntry e) {
        return switch (e.getLinkFlag()) {
            case '1' -> Type.HARDLINK;
            case '2' -> Type.SYMLINK;
            case '3' -> Type.CHAR_DEVICE;
            case '4' -> Type.BLOCK_DEVICE;
            case '5' -> Type.DIRECTORY;
            case '6' -> Type.FIFO;
            // regular ('0', NUL in old tars), contiguous ('7'), GNU sparse ('S', expanded by the reader)
            case '0', 0, '7', 'S' -> e.getName().endsWith("/") ? Type.DIRECTORY : Type.FILE;
            default -> throw invalid(e.getName(), "unhandled tar entry type '" + (char) e.getLinkFlag() + "'");
        };
    }

    private static ArchiveException.Invalid invalid(String raw, String why) {
        return new ArchiveException.Invalid("extract " + ArchiveException.quote(raw) + ": " + why);
    }

    /** Removes {@code p} itself: a file or link, or a directory with everything in it (links are not followed). */
    static void removeAll(Path p) throws IOException {
        try {
            berth.image.snapshot.Tree.delete(p);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
