package berth.image.layer;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

import berth.sys.SysException;

/**
 * A layer that could not be unpacked or written, in one line that names the entry and why, e.g.
 * {@code layer entry "../etc/passwd": path escapes the layer}.
 */
public final class LayerException extends java.io.IOException {

    public LayerException(String message) {
        super(message);
    }

    public LayerException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code layer entry "NAME": WHY}. */
    static LayerException entry(String name, String why) {
        return new LayerException("layer entry " + quote(name) + ": " + why);
    }

    /** {@code layer entry "NAME": <what failed>}; a LayerException passes through unchanged. */
    static LayerException entry(String name, Exception cause) {
        if (cause instanceof LayerException le) return le;
        return new LayerException("layer entry " + quote(name) + ": " + describe(cause), cause);
    }

    /** A failure as one line: a system call with its errno, a file system error with its file. */
    static String describe(Exception e) {
        if (e instanceof SysException) return e.getMessage();
        if (e instanceof FileSystemException f) {
            String why = switch (f) {
                case NoSuchFileException x -> "no such file or directory";
                case FileAlreadyExistsException x -> "already exists";
                case AccessDeniedException x -> "permission denied";
                case DirectoryNotEmptyException x -> "directory not empty";
                case NotDirectoryException x -> "not a directory";
                default -> f.getReason() != null ? f.getReason() : f.getClass().getSimpleName();
            };
            return f.getFile() + ": " + why;
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** The name in double quotes, control characters escaped so the message stays one line. */
    static String quote(String name) {
        StringBuilder b = new StringBuilder(name.length() + 2).append('"');
        for (int i = 0; i < name.length() && i < 300; i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) b.append(String.format("\\x%02x", (int) c));
            else if (c == '"' || c == '\\') b.append('\\').append(c);
            else b.append(c);
        }
        if (name.length() > 300) b.append("...");
        return b.append('"').toString();
    }
}
