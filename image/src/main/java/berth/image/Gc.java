package berth.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The store's garbage-collection lock. Work that writes blobs and snapshots before an image record refers
 * to them (pull, load, import, commit) holds it shared; collection holds it exclusive, so it never deletes
 * content that a running pull in any berth process is about to reference. Threads of this process share
 * one file lock (the JDK refuses overlapping locks within a process).
 */
final class Gc {
    private final Path lockFile;
    private final ReentrantReadWriteLock threads = new ReentrantReadWriteLock();
    private int sharedHolders;
    private FileChannel channel;
    private FileLock fileLock;

    Gc(Path root) {
        this.lockFile = root.resolve("gc.lock");
    }

    /** A held lock; close releases it. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    Held shared() {
        threads.readLock().lock();
        synchronized (this) {
            if (sharedHolders++ == 0) lockFile(true);
        }
        return () -> {
            synchronized (this) {
                if (--sharedHolders == 0) unlockFile();
            }
            threads.readLock().unlock();
        };
    }

    Held exclusive() {
        threads.writeLock().lock();
        synchronized (this) {
            lockFile(false);
        }
        return () -> {
            synchronized (this) {
                unlockFile();
            }
            threads.writeLock().unlock();
        };
    }

    private void lockFile(boolean shared) {
        try {
            Files.createDirectories(lockFile.getParent());
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            fileLock = channel.lock(0, Long.MAX_VALUE, shared);
        } catch (IOException e) {
            throw new UncheckedIOException("lock " + lockFile, e);
        }
    }

    private void unlockFile() {
        try {
            fileLock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
