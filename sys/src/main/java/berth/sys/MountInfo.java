package berth.sys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * This process's mount points, from {@code /proc/self/mountinfo} (a bind mount shares its device number with its
 * source, so stat cannot tell a mount point).
 */
public final class MountInfo {
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    private MountInfo() {}

    /** Every mount point, in mountinfo's order (a path mounted over more than once appears as often). */
    public static List<String> mountPoints() {
        List<String> points = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(MOUNTINFO, StandardCharsets.UTF_8)) {
                String[] f = line.split(" ", 6);
                if (f.length > 4) points.add(unescape(f[4]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("read " + MOUNTINFO + ": " + e.getMessage(), e);
        }
        return points;
    }

    /** Whether {@code path} (made absolute and normal) is a mount point. */
    public static boolean isMountPoint(Path path) {
        return mountPoints().contains(path.toAbsolutePath().normalize().toString());
    }

    /** mountinfo writes space, tab, newline and backslash as {@code \ooo}. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) return s;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
