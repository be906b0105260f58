package berth.engine.archive;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * Copying files into or out of a container failed; the message is one line saying what and why. The
 * subclasses tell the API layer which status to answer with: {@link NotFound} 404, {@link Invalid} 400, the
 * rest 500.
 */
public class ArchiveException extends RuntimeException {
    public ArchiveException(String message) {
        super(message);
    }

    public ArchiveException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The path does not exist in the container. */
    public static final class NotFound extends ArchiveException {
        public NotFound(String message) {
            super(message);
        }
    }

    /**
     * The request itself is wrong: the extraction point is not a directory, an archive entry would land
     * outside it, the archive is not one berth reads.
     */
    public static final class Invalid extends ArchiveException {
        public Invalid(String message) {
            super(message);
        }
    }

    /** Why {@code e} happened, in a few words without the host path a file system exception carries. */
    static String describe(Exception e) {
        return switch (e) {
            case NoSuchFileException _ -> "no such file or directory";
            case FileAlreadyExistsException _ -> "file exists";
            case AccessDeniedException _ -> "permission denied";
            case DirectoryNotEmptyException _ -> "directory not empty";
            case NotDirectoryException _ -> "not a directory";
            case FileSystemException x when x.getReason() != null -> x.getReason().toLowerCase(Locale.ROOT);
            default -> e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        };
    }

    /** {@code name} in double quotes, as Go's {@code %q} would print a plain name. */
    static String quote(String name) {
        return '"' + name.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
