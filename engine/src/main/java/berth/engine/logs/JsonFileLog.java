package berth.engine.logs;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One container's log in Docker's json-file format, {@code <dir>/<id>-json.log}: the file other tools read, the
 * entries byte for byte as Docker writes them, rotated as {@code max-size}/{@code max-file} say. Writes are
 * thread-safe (stdout's and stderr's copiers share it), each entry goes to the file in one write, and followers
 * ({@link LogReader} with {@code follow}) are woken by each write instead of polling the file. {@link #close()}
 * tells them that nothing more will come.
 */
public final class JsonFileLog implements LogDestination, Closeable {
    private static final Logger LOG = Logger.getLogger(JsonFileLog.class.getName());

    private final Path path;
    private final LogRotation rotation;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition written = lock.newCondition();
    private final ByteBuilder entry = new ByteBuilder(512);
    private FileChannel file; // null until opened, and after a rotation failed to reopen the file
    private long size;
    private long rotations;
    private boolean closed;

    private JsonFileLog(Path path, LogRotation rotation) {
        this.path = path;
        this.rotation = rotation;
    }

    /**
     * Opens (creating it, mode 0640) the log of container {@code containerId} in {@code dir} for appending, as
     * Docker does when a container starts again. A torn last entry (the daemon died in the middle of a write) is cut
     * off so that the file stays readable.
     */
    public static JsonFileLog open(Path dir, String containerId, LogRotation rotation) throws IOException {
        Path path = LogFiles.current(dir, containerId);
        dropTornEntry(path);
        JsonFileLog log = new JsonFileLog(path, rotation);
        log.reopen(false);
        return log;
    }

    /** The path of container {@code containerId}'s json-file log in {@code dir}: {@code <dir>/<id>-json.log}. */
    public static Path logPath(Path dir, String containerId) {
        return LogFiles.current(dir, containerId);
    }

    public Path path() {
        return path;
    }

    public LogRotation rotation() {
        return rotation;
    }

    /**
     * Appends one entry: {@code data[off, off+len)} is its {@code "log"} text (see {@link LogDestination#write}),
     * {@code time} its timestamp. Rotates first if the current file is full.
     *
     * @throws IOException naming the file if the log is closed or the write fails (a failed write is cut back off
     *                     the file, so it never leaves half an entry)
     */
    @Override
    public void write(StdStream stream, byte[] data, int off, int len, Instant time) throws IOException {
        lock.lock();
        try {
            if (closed) {
                throw new IOException("cannot write to " + path + ": the log is closed");
            }
            entry.reset();
            try {
                JsonLogCodec.encode(stream, data, off, len, time, entry);
            } catch (DateTimeException e) {
                throw new IOException("cannot write to " + path + ": " + e.getMessage(), e);
            }
            if (file == null) {
                reopen(false);
            }
            if (rotation.isFull(size)) {
                rotate();
            }
            append(entry);
            written.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A reader of this log whose {@code follow} sees entries as they are written, until the log is closed. */
    public LogReader reader() {
        return new LogReader(path, this, Clock.systemUTC());
    }

    /** Closes the file and ends every follower once it has read what was written. Closing twice is harmless. */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            written.signalAll();
            if (file != null) {
                file.close();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Opens the current file (and the rotated ones, oldest first, if {@code withRotated}) together with the position
     * written so far, all under the write lock so that no rotation falls in between.
     */
    LogSnapshot snapshot(boolean withRotated) throws IOException {
        lock.lock();
        try {
            var rotated = withRotated ? LogFiles.openRotated(path) : List.<FileChannel>of();
            try {
                return new LogSnapshot(rotated, LogFiles.openCurrent(path), position());
            } catch (IOException e) {
                LogFiles.closeAll(rotated);
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the log has moved past {@code seen} (a write or a rotation), it is closed, or {@code maxWait}
     * (null: no limit) has passed, and returns the position then.
     */
    LogPosition awaitChange(LogPosition seen, Duration maxWait) throws InterruptedException {
        lock.lock();
        try {
            long nanos = maxWait == null ? Long.MAX_VALUE : maxWait.toNanos();
            while (position().samePlace(seen) && !closed) {
                if (maxWait == null) {
                    written.await();
                } else if (nanos <= 0) {
                    break;
                } else {
                    nanos = written.awaitNanos(nanos);
                }
            }
            return position();
        } finally {
            lock.unlock();
        }
    }

    private LogPosition position() {
        return new LogPosition(rotations, size, closed);
    }

    private void append(ByteBuilder bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes.array(), 0, bytes.length());
        try {
            while (buffer.hasRemaining()) {
                file.write(buffer);
            }
        } catch (IOException e) {
            try {
                file.truncate(size);
            } catch (IOException truncateFailure) {
                e.addSuppressed(truncateFailure);
            }
            throw new IOException("cannot write to " + path + ": " + e.getMessage(), e);
        }
        size += bytes.length();
    }

    /**
     * Docker's rotation: shift {@code .1 .. .(max-2)} up by one (dropping the oldest), rename the current file to
     * {@code .1} (with max-file 1: unlink it), then start an empty current file. Readers that have a file open keep
     * reading it. If the shift fails the current file is truncated anyway, as Docker does, so the log stays bounded.
     */
    private void rotate() throws IOException {
        file.close();
        file = null;
        try {
            shiftFiles();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "rotating " + path + " failed, its entries are lost: " + e.getMessage());
        }
        rotations++;
        reopen(true);
    }

    /** Opens the current file for appending, emptied or as it is, and takes its size. */
    private void reopen(boolean empty) throws IOException {
        FileChannel f = openForAppend(path);
        try {
            if (empty) {
                f.truncate(0);
            }
            size = f.size();
        } catch (IOException e) {
            f.close();
            throw new IOException("cannot " + (empty ? "empty " : "read the size of ") + path + ": " + e.getMessage(), e);
        }
        file = f;
    }

    private void shiftFiles() throws IOException {
        int maxFiles = rotation.maxFiles();
        if (maxFiles < 2) {
            Files.deleteIfExists(path);
            return;
        }
        Files.deleteIfExists(LogFiles.rotated(path, maxFiles - 1));
        for (int n = maxFiles - 1; n > 1; n--) {
            Path from = LogFiles.rotated(path, n - 1);
            if (Files.exists(from)) {
                Files.move(from, LogFiles.rotated(path, n), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(path, LogFiles.rotated(path, 1), StandardCopyOption.REPLACE_EXISTING);
    }

    private static FileChannel openForAppend(Path path) throws IOException {
        try {
            return FileChannel.open(path, Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.APPEND),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
        } catch (IOException e) {
            throw new IOException("cannot open log file " + path + ": " + e.getMessage(), e);
        }
    }

    /** Cuts an existing file back to just after its last newline, dropping a torn last entry. */
    private static void dropTornEntry(Path path) throws IOException {
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = file.size();
            long end = Tail.lastEntries(file, size, 0).offset();
            if (end < size) {
                LOG.warning("dropping a torn last entry of " + (size - end) + " bytes from " + path);
                file.truncate(end);
            }
        } catch (NoSuchFileException e) {
            // A new log: nothing to repair.
        } catch (IOException e) {
            throw new IOException("cannot check the last entry of " + path + ": " + e.getMessage(), e);
        }
    }
}
