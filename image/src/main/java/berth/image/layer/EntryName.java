package berth.image.layer;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Tar entry names made safe to join to the layer directory: relative, without {@code .} or empty
 * components, and never above the layer root. {@code ""} is the root itself.
 */
final class EntryName {
    private EntryName() {}

    /**
     * {@code /a/./b//c/} becomes {@code a/b/c}; {@code a/../b} becomes {@code b}; a name whose {@code ..}
     * would climb above the root, or that holds a NUL, is refused.
     */
    static String normalise(String raw) throws LayerException {
        return normalise(raw, raw, "");
    }

    /**
     * {@link #normalise(String)} for a name inside entry {@code entry}, such as a hard link's target;
     * {@code what} starts the reason, e.g. {@code hard link target "../x": }.
     */
    static String normalise(String raw, String entry, String what) throws LayerException {
        if (raw.indexOf('\0') >= 0) throw LayerException.entry(entry, what + "name contains a NUL byte");
        Deque<String> parts = new ArrayDeque<>();
        for (String part : raw.split("/")) {
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) {
                if (parts.isEmpty()) throw LayerException.entry(entry, what + "path escapes the layer");
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        return String.join("/", parts);
    }

    /** The directory part of a normalised name: {@code a/b} for {@code a/b/c}, {@code ""} for {@code c}. */
    static String parent(String name) {
        int slash = name.lastIndexOf('/');
        return slash < 0 ? "" : name.substring(0, slash);
    }

    /** The last component of a normalised name. */
    static String base(String name) {
        return name.substring(name.lastIndexOf('/') + 1);
    }

    static String join(String dir, String name) {
        return dir.isEmpty() ? name : dir + "/" + name;
    }
}
