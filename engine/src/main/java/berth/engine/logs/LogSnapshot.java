package berth.engine.logs;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.List;

/**
 * A log's files opened together at one instant, so that a rotation cannot slip in between: the rotated files
 * (oldest first; empty unless asked for) and the current file with the write position it had then.
 */
record LogSnapshot(List<FileChannel> rotated, FileChannel current, LogPosition position) implements Closeable {
    @Override
    public void close() throws IOException {
        LogFiles.closeAll(rotated);
        current.close();
    }
}
