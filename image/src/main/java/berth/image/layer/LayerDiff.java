package berth.image.layer;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import berth.sys.SysException;
import berth.sys.Syscalls;

/**
 * Writes an overlayfs upper directory (a container's changes) as an uncompressed layer tar, the inverse of
 * {@link LayerUnpacker} in {@link WhiteoutMode#OVERLAY}: a 0/0 character device becomes a {@code .wh.NAME}
 * entry, a directory with {@code trusted.overlay.opaque=y} is followed by a {@code .wh..wh..opq} entry, files
 * sharing an inode become hard links to the first path written, and the other {@code trusted.overlay.*}
 * attributes are left out. The walk is in name order and the tar is {@link PaxTarWriter}'s, so the same
 * directory gives the same bytes, and so the same diffID.
 */
public final class LayerDiff {
    private static final String OVERLAY_XATTRS = "trusted.overlay.";
    /** Upper-directory states a layer cannot express: renamed directories and metadata-only copies. */
    private static final Set<String> UNREPRESENTABLE = Set.of("trusted.overlay.redirect", "trusted.overlay.metacopy");
    private static final String ATTRIBUTES = "unix:mode,uid,gid,ino,dev,nlink,rdev,size,lastModifiedTime,lastAccessTime";

    private final Syscalls sys;

    public LayerDiff(Syscalls sys) {
        this.sys = sys;
    }

    /** Writes all of {@code upperDir} as a tar to {@code out} (not closed). */
    public DiffResult write(Path upperDir, OutputStream out) throws IOException {
        return write(upperDir, Set.of(), out);
    }

    /**
     * Writes {@code upperDir} as a tar to {@code out} (not closed), leaving out the contents of the
     * directories in {@code excludeContentsOf} (paths relative to {@code upperDir}, such as a container's
     * volume mount points) but keeping those directories' own entries.
     */
    public DiffResult write(Path upperDir, Set<String> excludeContentsOf, OutputStream out) throws IOException {
        Set<String> excluded = new HashSet<>();
        for (String e : excludeContentsOf) excluded.add(EntryName.normalise(e));
        DigestingOutputStream digesting = new DigestingOutputStream(out);
        BufferedOutputStream buffered = new BufferedOutputStream(digesting, 1 << 16);
        PaxTarWriter tar = new PaxTarWriter(buffered);
        new Walk(upperDir.toRealPath(), excluded, tar).contents("");
        tar.finish();
        buffered.flush();
        return new DiffResult(digesting.digest(), digesting.size());
    }

    /** One walk of an upper directory; it remembers the inodes with several links it has written. */
    private final class Walk {
        private final Path upper;
        private final Set<String> excluded;
        private final PaxTarWriter tar;
        private final Map<String, String> firstPathOfInode = new HashMap<>();

        Walk(Path upper, Set<String> excluded, PaxTarWriter tar) {
            this.upper = upper;
            this.excluded = excluded;
            this.tar = tar;
        }

        void contents(String dir) throws IOException {
            List<String> names = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(path(dir))) {
                for (Path p : ds) names.add(p.getFileName().toString());
            }
            names.sort(null);
            for (String name : names) {
                String rel = EntryName.join(dir, name);
                try {
                    entry(rel);
                } catch (SysException e) {
                    throw new LayerException("upper directory entry " + LayerException.quote(rel) + ": " + e.getMessage(), e);
                } catch (IOException e) {
                    if (e instanceof LayerException) throw e;
                    throw new LayerException("upper directory entry " + LayerException.quote(rel) + ": " + LayerException.describe(e), e);
                }
            }
        }

        private void entry(String rel) throws IOException {
            Path p = path(rel);
            Map<String, Object> a = Files.readAttributes(p, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            int mode = (int) a.get("mode");
            int format = mode & LayerEntry.S_IFMT;
            long rdev = (long) a.get("rdev");
            long mtime = nanos((FileTime) a.get("lastModifiedTime"));
            if (format == LayerEntry.S_IFCHR && rdev == 0) { // an overlayfs whiteout
                String name = EntryName.join(EntryName.parent(rel), Whiteouts.PREFIX + EntryName.base(rel));
                tar.write(marker(name, mtime), null);
                return;
            }
            if (format == LayerEntry.S_IFSOCK) return; // sockets live only as long as their process

            Xattrs x = xattrs(p, rel);
            LayerEntry.Type type = switch (format) {
                case LayerEntry.S_IFDIR -> LayerEntry.Type.DIRECTORY;
                case LayerEntry.S_IFLNK -> LayerEntry.Type.SYMLINK;
                case LayerEntry.S_IFCHR -> LayerEntry.Type.CHAR_DEVICE;
                case LayerEntry.S_IFBLK -> LayerEntry.Type.BLOCK_DEVICE;
                case LayerEntry.S_IFIFO -> LayerEntry.Type.FIFO;
                default -> LayerEntry.Type.FILE;
            };
            String link = type == LayerEntry.Type.SYMLINK ? Files.readSymbolicLink(p).toString() : "";
            String firstPath = null;
            if (type != LayerEntry.Type.DIRECTORY && (int) a.get("nlink") > 1) {
                firstPath = firstPathOfInode.putIfAbsent(a.get("dev") + ":" + a.get("ino"), rel);
            }
            if (firstPath != null) {
                type = LayerEntry.Type.HARDLINK;
                link = firstPath;
            }
            LayerEntry e = new LayerEntry(rel, rel, type, mode & 07777, Integer.toUnsignedLong((int) a.get("uid")),
                    Integer.toUnsignedLong((int) a.get("gid")), mtime, nanos((FileTime) a.get("lastAccessTime")),
                    type == LayerEntry.Type.FILE ? (long) a.get("size") : 0, link, DeviceNumbers.major(rdev),
                    DeviceNumbers.minor(rdev), type == LayerEntry.Type.HARDLINK ? new TreeMap<>() : x.values());
            if (type == LayerEntry.Type.FILE) {
                try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
                    tar.write(e, in);
                }
            } else {
                tar.write(e, null);
            }
            if (type == LayerEntry.Type.DIRECTORY) {
                if (x.opaque()) tar.write(marker(EntryName.join(rel, Whiteouts.OPAQUE), mtime), null);
                if (!excluded.contains(rel)) contents(rel);
            }
        }

        /** The attributes a layer carries, and whether overlayfs marked the directory opaque. */
        private Xattrs xattrs(Path p, String rel) throws IOException {
            SortedMap<String, byte[]> values = new TreeMap<>();
            boolean opaque = false;
            for (String name : sys.llistxattr(p.toString())) {
                if (UNREPRESENTABLE.contains(name)) {
                    throw new LayerException("upper directory entry " + LayerException.quote(rel) + ": has " + name
                            + ", which a layer cannot carry (mount the overlay without redirect_dir and metacopy)");
                }
                byte[] value = sys.lgetxattr(p.toString(), name);
                if (value == null) continue;
                if (name.equals(Whiteouts.OPAQUE_XATTR)) opaque = Arrays.equals(value, "y".getBytes(StandardCharsets.US_ASCII));
                if (!name.startsWith(OVERLAY_XATTRS)) values.put(name, value);
            }
            return new Xattrs(values, opaque);
        }

        private Path path(String rel) {
            return rel.isEmpty() ? upper : upper.resolve(rel);
        }
    }

    private record Xattrs(SortedMap<String, byte[]> values, boolean opaque) {}

    /** An empty whiteout or opaque-marker file, owned by root, mode 0. */
    private static LayerEntry marker(String name, long mtime) {
        return new LayerEntry(name, name, LayerEntry.Type.FILE, 0, 0, 0, mtime, mtime, 0, "", 0, 0, new TreeMap<>());
    }

    private static long nanos(FileTime t) {
        return t.to(TimeUnit.NANOSECONDS);
    }
}
