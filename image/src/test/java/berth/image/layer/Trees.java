package berth.image.layer;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import berth.image.Digest;
import berth.sys.Syscalls;

/** Test helpers that describe files on disk in one comparable line each. */
final class Trees {
    private Trees() {}

    /** The attributes of {@code p} itself, as the JDK's unix view gives them. */
    static Map<String, Object> lstat(Path p) throws IOException {
        return Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
    }

    static int mode(Path p) throws IOException {
        return (int) lstat(p).get("mode");
    }

    static long mtimeNanos(Path p) throws IOException {
        return ((FileTime) lstat(p).get("lastModifiedTime")).to(TimeUnit.NANOSECONDS);
    }

    /**
     * Every path under {@code root} (but those under {@code skip}, which may be null) described with its type,
     * mode, owner, modification time, device number, link target, content digest and extended attributes.
     * Files sharing an inode get the same {@code inode#N}, numbered in walk order.
     */
    static Map<String, String> describe(Path root, Path skip, Syscalls sys) throws IOException {
        Map<String, String> out = new TreeMap<>();
        Map<Object, Integer> inodes = new java.util.HashMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (dir.equals(skip)) return FileVisitResult.SKIP_SUBTREE;
                out.put(root.relativize(dir).toString(), line(dir));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String l = line(file);
                Map<String, Object> a = lstat(file);
                if ((int) a.get("nlink") > 1) l += " inode#" + inodes.computeIfAbsent(a.get("ino"), k -> inodes.size());
                out.put(root.relativize(file).toString(), l);
                return FileVisitResult.CONTINUE;
            }

            private String line(Path p) throws IOException {
                Map<String, Object> a = lstat(p);
                int mode = (int) a.get("mode");
                StringBuilder b = new StringBuilder(String.format("%06o %s:%s", mode, a.get("uid"), a.get("gid")));
                b.append(" mtime=").append(a.get("lastModifiedTime"));
                int fmt = mode & 0170000;
                if (fmt == 0020000 || fmt == 0060000) b.append(" rdev=").append(a.get("rdev"));
                if (fmt == 0120000) b.append(" -> ").append(Files.readSymbolicLink(p));
                if (fmt == 0100000) b.append(" sha256=").append(Digest.of(Files.readAllBytes(p)).shortId());
                for (String x : new java.util.TreeSet<>(sys.llistxattr(p.toString()))) {
                    b.append(' ').append(x).append('=').append(HexFormat.of().formatHex(sys.lgetxattr(p.toString(), x)));
                }
                return b.toString();
            }
        });
        return out;
    }
}
