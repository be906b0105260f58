package berth.engine.archive;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import berth.sys.Syscalls;

/**
 * A description of every file in a tree (type, mode, owner, size, mtime, link target, content digest,
 * extended attributes), to compare trees and to prove that nothing outside a directory changed.
 */
public final class Trees {
    private Trees() {}

    /** Every file under {@code top} but those under {@code skip} (null: none), by path relative to {@code top}. */
    public static Map<String, String> describe(Path top, Path skip, Syscalls sys) throws IOException {
        Map<String, String> out = new TreeMap<>();
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (dir.equals(skip)) return FileVisitResult.SKIP_SUBTREE;
                out.put(top.relativize(dir).toString(), describe(dir, sys));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!file.equals(skip)) out.put(top.relativize(file).toString(), describe(file, sys));
                return FileVisitResult.CONTINUE;
            }
        });
        return out;
    }

    public static String describe(Path p, Syscalls sys) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        StringBuilder s = new StringBuilder(Integer.toOctalString(mode)).append(' ').append(a.get("uid")).append(':').append(a.get("gid"))
                .append(" mtime=").append(((FileTime) a.get("lastModifiedTime")).toMillis());
        if (Files.isSymbolicLink(p)) {
            s.append(" -> ").append(Files.readSymbolicLink(p));
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            s.append(" size=").append(a.get("size")).append(" sha256=").append(sha256(Files.readAllBytes(p)));
        }
        List<String> xattrs = sys.llistxattr(p.toString());
        for (String x : xattrs.stream().sorted().toList()) s.append(' ').append(x).append('=').append(HexFormat.of().formatHex(sys.lgetxattr(p.toString(), x)));
        return s.toString();
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
