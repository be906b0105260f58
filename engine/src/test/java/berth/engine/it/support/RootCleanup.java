package berth.engine.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import berth.network.Network;
import berth.network.Networks;
import berth.sys.LinuxSyscalls;
import berth.sys.Syscalls;

/**
 * Removes what a stopped test daemon left on the host under and for its root: the networks' bridges and
 * iptables chains (through {@link Networks} over the same root, so only this root's), mounts below the root,
 * then the directory itself. A directory is deleted only once nothing is mounted below it.
 */
final class RootCleanup {
    private static final int MNT_DETACH = 2;
    private final Path dir;
    private final Path root;
    private final Syscalls sys = new LinuxSyscalls();

    /** {@code dir} holds the daemon's {@code root} (and its socket and log); all of it goes. */
    RootCleanup(Path dir, Path root) {
        this.dir = dir.toAbsolutePath().normalize();
        this.root = root.toAbsolutePath().normalize();
    }

    void run() throws IOException {
        if (Files.isDirectory(root.resolve("networks"))) {
            Networks networks = new Networks(root, null, null);
            for (Network n : networks.list()) networks.remove(n.id());
        }
        List<String> mounts = mountsBelow();
        for (String m : mounts) sys.umount(m, MNT_DETACH);
        List<String> left = mountsBelow();
        if (!left.isEmpty()) throw new IOException("cannot delete " + dir + ": still mounted below it: " + left);
        deleteTree(dir);
    }

    /** Mount points strictly below {@code dir}, deepest first. */
    private List<String> mountsBelow() throws IOException {
        String prefix = dir + "/";
        List<String> found = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
            String point = unescape(line.split(" ")[4]);
            if (point.startsWith(prefix)) found.add(point);
        }
        found.sort(Comparator.comparingInt(String::length).reversed());
        return found;
    }

    /** mountinfo writes space, tab, newline and backslash as three octal digits after a backslash. */
    private static String unescape(String field) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length()) {
                sb.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static void deleteTree(Path top) throws IOException {
        if (!Files.exists(top)) return;
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) throw e;
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
