package berth.engine.archive;

import java.util.ArrayList;
import java.util.List;

/**
 * The slash-path functions of Go that decide what {@code docker cp} means by a path: {@code path.Clean},
 * {@code filepath.Base} and moby's {@code PreserveTrailingDotOrSeparator}, by which a trailing {@code /}
 * or {@code /.} survives cleaning ({@code /dir/.} asks for the directory's contents, not the directory).
 */
final class GoPaths {
    private GoPaths() {}

    /** Go's {@code path.Clean}: {@code .} and empty components go, {@code ..} removes the one before it. */
    static String clean(String path) {
        if (path.isEmpty()) return ".";
        boolean rooted = path.startsWith("/");
        List<String> out = new ArrayList<>();
        for (String c : path.split("/")) {
            if (c.isEmpty() || c.equals(".")) continue;
            if (c.equals("..")) {
                if (!out.isEmpty() && !out.getLast().equals("..")) {
                    out.removeLast();
                } else if (!rooted) {
                    out.add(c);
                }
                continue;
            }
            out.add(c);
        }
        String joined = String.join("/", out);
        if (rooted) return "/" + joined;
        return joined.isEmpty() ? "." : joined;
    }

    /** Go's {@code filepath.Base}: the last component, trailing slashes ignored; {@code /} for the root. */
    static String base(String path) {
        if (path.isEmpty()) return ".";
        int end = path.length();
        while (end > 0 && path.charAt(end - 1) == '/') end--;
        if (end == 0) return "/";
        return path.substring(path.lastIndexOf('/', end - 1) + 1, end);
    }

    /** The parent directory of an absolute, clean path; {@code /} for the root and its children. */
    static String dir(String cleanAbsolute) {
        int slash = cleanAbsolute.lastIndexOf('/');
        return slash <= 0 ? "/" : cleanAbsolute.substring(0, slash);
    }

    /** {@code dir} and {@code name} joined and cleaned, as Go's {@code path.Join}. */
    static String join(String dir, String name) {
        return clean(dir + "/" + name);
    }

    /** Whether {@code path} is {@code under} or below it (both absolute and clean). */
    static boolean within(String path, String under) {
        return under.equals("/") || path.equals(under) || path.startsWith(under + "/");
    }

    /** Appends to {@code cleaned} the trailing {@code /.} or {@code /} that {@code original} had. */
    static String preserveTrailingDotOrSeparator(String cleaned, String original) {
        if (!specifiesCurrentDir(cleaned) && specifiesCurrentDir(original)) {
            if (!cleaned.endsWith("/")) cleaned += "/";
            cleaned += ".";
        }
        if (!cleaned.endsWith("/") && original.endsWith("/")) cleaned += "/";
        return cleaned;
    }

    /** Whether the path says it must be a directory: it ends with {@code /} or {@code /.}. */
    static boolean assertsDirectory(String path) {
        return path.endsWith("/") || specifiesCurrentDir(path);
    }

    private static boolean specifiesCurrentDir(String path) {
        return base(path).equals(".");
    }
}
