package berth.engine.spec;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The host's device nodes, read through the JDK's {@code unix:} file attributes (mode, rdev, uid, gid), so no
 * native code is needed.
 */
public final class DevNodes implements HostDevices {
    private static final int S_IFMT = 0170000, S_IFCHR = 0020000, S_IFBLK = 0060000;
    /** Directories under /dev that containerd's HostDevices skips. */
    private static final Set<String> SKIPPED_DIRS = Set.of("pts", "shm", "fd", "mqueue", ".lxc", ".lxd-mounts", ".udev");

    private final Path dev;

    /** Device nodes under {@code dev}, normally {@code /dev}. */
    public DevNodes(Path dev) {
        this.dev = dev;
    }

    @Override
    public List<HostDevice> at(String pathOnHost) throws IOException {
        Path path = Path.of(pathOnHost);
        if (Files.isSymbolicLink(path)) path = path.toRealPath();
        Optional<HostDevice> node = node(path);
        if (node.isPresent()) return List.of(node.get().at(""));
        List<HostDevice> out = new ArrayList<>();
        if (Files.isDirectory(path)) {
            try (Stream<Path> all = Files.walk(path)) {
                for (Path p : (Iterable<Path>) all::iterator) {
                    try {
                        Path relative = path.relativize(p);
                        node(p).ifPresent(d -> out.add(d.at(relative.toString())));
                    } catch (IOException ignored) {
                        // moby ignores entries it cannot read while walking a device directory
                    }
                }
            }
        }
        return out;
    }

    @Override
    public List<HostDevice> all() throws IOException {
        List<HostDevice> out = new ArrayList<>();
        collect(dev, out);
        return out;
    }

    private static void collect(Path dir, List<HostDevice> out) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    if (!SKIPPED_DIRS.contains(name)) collect(p, out);
                } else if (!name.equals("console") && !Files.isSymbolicLink(p)) {
                    try {
                        node(p).ifPresent(out::add);
                    } catch (NoSuchFileException gone) {
                        // removed while listing: containerd skips it too
                    }
                }
            }
        }
    }

    /** The node at {@code p} (not following a final symlink), or empty when it is not a device node. */
    static Optional<HostDevice> node(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,rdev,uid,gid", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        long rdev = (Long) a.get("rdev");
        long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
        long minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
        String type = switch (mode & S_IFMT) {
            case S_IFCHR -> "c";
            case S_IFBLK -> "b";
            default -> null;
        };
        if (type == null || major == 0) return Optional.empty();
        return Optional.of(new HostDevice(type, p.toString(), major, minor, mode & 07777,
                ((Integer) a.get("uid")).longValue(), ((Integer) a.get("gid")).longValue()));
    }
}
