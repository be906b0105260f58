package berth.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serializes changes to one root's networks and endpoints, among the threads of this process (a
 * re-entrant lock) and among processes sharing the root (an exclusive lock on {@code <file>}, taken when a
 * thread first enters and released when it last leaves).
 */
final class StateLock {
    private final Path file;
    private final ReentrantLock local = new ReentrantLock();
    private FileChannel channel;
    private FileLock fileLock;

    StateLock(Path file) {
        this.file = file;
    }

    /** A held lock, released by close. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    Held acquire() {
        local.lock();
        if (local.getHoldCount() == 1) {
            try {
                Files.createDirectories(file.getParent());
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                fileLock = channel.lock();
            } catch (IOException e) {
                closeChannel();
                local.unlock();
                throw new UncheckedIOException("lock " + file + ": " + e.getMessage(), e);
            }
        }
        return this::release;
    }

    private void release() {
        if (local.getHoldCount() == 1) {
            try {
                if (fileLock != null) fileLock.release();
            } catch (IOException ignored) {
                // closing the channel releases it too
            }
            closeChannel();
        }
        local.unlock();
    }

    private void closeChannel() {
        try {
            if (channel != null) channel.close();
        } catch (IOException ignored) {
            // nothing to do
        }
        channel = null;
        fileLock = null;
    }
}
