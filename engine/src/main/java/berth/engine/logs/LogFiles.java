package berth.engine.logs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** The names of a json-file log's files: {@code <id>-json.log}, then {@code .1} (newest rotated) upwards. */
final class LogFiles {
    private LogFiles() {
    }

    static Path current(Path dir, String containerId) {
        return dir.resolve(containerId + "-json.log");
    }

    /** The {@code n}th rotated file; 1 is the most recent. */
    static Path rotated(Path current, int n) {
        return current.resolveSibling(current.getFileName() + "." + n);
    }

    /**
     * Opens the rotated files that exist, {@code .1} upwards until one is missing, and returns them oldest first.
     * On failure the ones already open are closed.
     */
    static List<FileChannel> openRotated(Path current) throws IOException {
        List<FileChannel> newestFirst = new ArrayList<>();
        try {
            for (int n = 1; ; n++) {
                Path file = rotated(current, n);
                try {
                    newestFirst.add(FileChannel.open(file, StandardOpenOption.READ));
                } catch (NoSuchFileException e) {
                    break;
                }
            }
        } catch (IOException e) {
            closeAll(newestFirst);
            throw new IOException("cannot open rotated log file of " + current + ": " + e.getMessage(), e);
        }
        return newestFirst.reversed();
    }

    /** Opens the current file for reading; a missing file is reported as the container having no json-file log. */
    static FileChannel openCurrent(Path current) throws IOException {
        try {
            return FileChannel.open(current, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(current.toString(), null, "no json-file log (never started, or another log driver)");
        }
    }

    static void closeAll(List<FileChannel> files) {
        for (FileChannel f : files) {
            try {
                f.close();
            } catch (IOException ignored) {
                // Read-only channels: closing cannot lose data.
            }
        }
    }
}
