package berth.engine.volumes;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import berth.sys.Errno;
import berth.sys.SysException;
import berth.sys.Syscalls;

/**
 * Copies a directory tree with everything that describes its files, as containerd's {@code fs.CopyDir} does
 * for Docker's volume pre-population: regular files, directories, symbolic links (as links), hard links (as
 * links between the copies), devices and fifos; owners, all twelve mode bits, extended attributes and access
 * and modification times, the top directory's included. Sockets are skipped. overlayfs's own
 * {@code trusted.overlay.*} attributes are not copied; an attribute the target file system refuses (EPERM,
 * EOPNOTSUPP) is logged and left out.
 */
final class TreeCopy {
    private static final int S_IFMT = 0170000, S_IFSOCK = 0140000, S_IFLNK = 0120000, S_IFDIR = 0040000,
            S_IFCHR = 0020000, S_IFBLK = 0060000, S_IFIFO = 0010000;
    private static final int EOPNOTSUPP = 95;
    private static final System.Logger LOG = System.getLogger(TreeCopy.class.getName());

    private final Syscalls sys;
    /** "dev:ino" of source files with several links to their first copy. */
    private final Map<String, Path> copies = new HashMap<>();

    TreeCopy(Syscalls sys) {
        this.sys = sys;
    }

    /** Copies the contents of directory {@code src} into the existing directory {@code dst}, and its metadata onto it. */
    void copyDirectory(Path src, Path dst) throws IOException {
        copyChildren(src, dst);
        copyMetadata(src, dst, attributes(src));
    }

    private void copyChildren(Path src, Path dst) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(src)) {
            for (Path p : ds) children.add(p);
        }
        for (Path child : children) copy(child, dst.resolve(child.getFileName().toString()));
    }

    private void copy(Path src, Path dst) throws IOException {
        Map<String, Object> a = attributes(src);
        int mode = (Integer) a.get("mode");
        int type = mode & S_IFMT;
        if (type == S_IFSOCK) return;
        if (type != S_IFDIR && (Integer) a.get("nlink") > 1) {
            String key = a.get("dev") + ":" + a.get("ino");
            Path first = copies.get(key);
            if (first != null) {
                Files.createLink(dst, first);
                return;
            }
            copies.put(key, dst);
        }
        switch (type) {
            case S_IFDIR -> {
                Files.createDirectory(dst);
                copyChildren(src, dst);
            }
            case S_IFLNK -> Files.createSymbolicLink(dst, Files.readSymbolicLink(src));
            case S_IFCHR, S_IFBLK, S_IFIFO -> {
                long rdev = (Long) a.get("rdev");
                int major = (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
                int minor = (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
                sys.mknod(dst.toString(), type | (mode & 0777), major, minor);
            }
            default -> {
                try (FileChannel in = FileChannel.open(src, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                     FileChannel out = FileChannel.open(dst, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                             LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                    long size = in.size();
                    for (long at = 0; at < size; ) {
                        long n = in.transferTo(at, size - at, out);
                        if (n <= 0) break;
                        at += n;
                    }
                }
            }
        }
        copyMetadata(src, dst, a);
    }

    /** Owner first (chown clears setuid and setgid), then mode, attributes, and the times last. */
    private void copyMetadata(Path src, Path dst, Map<String, Object> a) throws IOException {
        Files.setAttribute(dst, "unix:uid", a.get("uid"), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(dst, "unix:gid", a.get("gid"), LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        boolean link = (mode & S_IFMT) == S_IFLNK;
        if (!link) sys.lchmod(dst.toString(), mode & 07777);
        for (String name : sys.llistxattr(src.toString())) {
            if (name.startsWith("trusted.overlay.")) continue;
            byte[] value = sys.lgetxattr(src.toString(), name);
            if (value == null) continue;
            try {
                sys.lsetxattr(dst.toString(), name, value);
            } catch (SysException e) {
                if (e.errno() != Errno.EPERM && e.errno() != EOPNOTSUPP) throw e;
                LOG.log(System.Logger.Level.WARNING, "copy " + src + ": xattr " + name + " not copied: " + Errno.name(e.errno()));
            }
        }
        sys.lutimes(dst.toString(), nanos(a.get("lastAccessTime")), nanos(a.get("lastModifiedTime")));
    }

    private static Map<String, Object> attributes(Path p) throws IOException {
        return Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
    }

    private static long nanos(Object fileTime) {
        return ((FileTime) fileTime).to(TimeUnit.NANOSECONDS);
    }
}
