package berth.image.content;

import berth.image.Digest;
import berth.image.ImageException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Blobs addressed by sha256, as architecture.md lays them out: {@code blobs/sha256/<hex>} holds only
 * verified content; {@code ingest/<ref>/data} holds partial writes. A blob becomes visible in one rename,
 * after its size and digest were checked and its bytes fsynced, so a crash at any moment leaves either
 * nothing or the whole, correct blob. A partial ingest survives a crash and is resumed by the next writer
 * with the same ref (its bytes are re-hashed, not trusted).
 */
public final class ContentStore {
    private final Path blobs;
    private final Path ingest;

    public ContentStore(Path root) {
        this.blobs = root.resolve("blobs").resolve("sha256");
        this.ingest = root.resolve("ingest");
        try {
            Files.createDirectories(blobs);
            Files.createDirectories(ingest);
        } catch (IOException e) {
            throw new UncheckedIOException("create content store at " + root, e);
        }
    }

    public Path path(Digest d) {
        return blobs.resolve(d.hex());
    }

    public boolean exists(Digest d) {
        return Files.isRegularFile(path(d));
    }

    /** The blob's size; NotFound if absent. */
    public long size(Digest d) {
        try {
            return Files.size(path(d));
        } catch (NoSuchFileException e) {
            throw new ImageException.NotFound("blob " + d + " not found");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public InputStream open(Digest d) throws IOException {
        try {
            return Files.newInputStream(path(d));
        } catch (NoSuchFileException e) {
            throw new ImageException.NotFound("blob " + d + " not found");
        }
    }

    public byte[] read(Digest d) {
        try {
            return Files.readAllBytes(path(d));
        } catch (NoSuchFileException e) {
            throw new ImageException.NotFound("blob " + d + " not found");
        } catch (IOException e) {
            throw new UncheckedIOException("read blob " + d, e);
        }
    }

    /** Stores small content (a manifest, a config) and returns its digest. */
    public Digest put(byte[] content) {
        Digest d = Digest.of(content);
        if (exists(d)) return d;
        try (Writer w = writer("put-" + d.hex(), d, content.length)) {
            w.truncate();
            w.write(content, 0, content.length);
            w.commit();
        }
        return d;
    }

    /** Every committed blob. */
    public List<Digest> list() {
        List<Digest> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(blobs)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.length() == 64) out.add(new Digest("sha256", name));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public void delete(Digest d) {
        try {
            Files.deleteIfExists(path(d));
        } catch (IOException e) {
            throw new UncheckedIOException("delete blob " + d, e);
        }
    }

    /**
     * Removes finished ingest directories and partial ones older than {@code maxAge} that no writer holds
     * (at start-up, or by prune). Younger partials stay so an interrupted pull resumes.
     */
    public void cleanIngest(java.time.Duration maxAge) {
        long cutoff = System.currentTimeMillis() - maxAge.toMillis();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(ingest)) {
            for (Path dir : ds) {
                try (FileChannel lock = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock held = lock.tryLock()) {
                    if (held == null) continue;
                    Path data = dir.resolve("data");
                    if (Files.exists(data) && Files.getLastModifiedTime(data).toMillis() > cutoff) continue;
                    Files.deleteIfExists(data);
                    Files.deleteIfExists(dir.resolve("lock"));
                    Files.deleteIfExists(dir);
                } catch (IOException | java.nio.channels.OverlappingFileLockException ignored) {
                    // in use or already gone
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A writer for the blob {@code expected} of {@code expectedSize} bytes (-1 if unknown), under the ingest
     * ref {@code ref}. If an earlier writer with the same ref left bytes behind, the new writer resumes after
     * them ({@link Writer#offset()}); a second concurrent writer of the same ref waits for the first.
     */
    public Writer writer(String ref, Digest expected, long expectedSize) {
        if (ref.isEmpty() || ref.contains("/") || ref.startsWith(".")) throw new IllegalArgumentException("bad ingest ref " + ref);
        Path dir = ingest.resolve(ref);
        try {
            Files.createDirectories(dir);
            FileChannel lockChannel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = lockChannel.lock();
            FileChannel data = FileChannel.open(dir.resolve("data"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            return new Writer(dir, lockChannel, lock, data, expected, expectedSize);
        } catch (IOException e) {
            throw new UncheckedIOException("open ingest " + ref, e);
        }
    }

    /** An ingest in progress: write, then {@link #commit()}; close without commit keeps the bytes for a resume. */
    public final class Writer implements AutoCloseable {
        private final Path dir;
        private final FileChannel lockChannel;
        private final FileLock lock;
        private final FileChannel data;
        private final Digest expected;
        private final long expectedSize;
        private MessageDigest md = Digest.sha256();
        /** Writes are gathered here and reach the file a megabyte at a time. */
        private final ByteBuffer pending = ByteBuffer.allocate(1 << 20);
        private long offset;
        private boolean done;
        /** Bytes on file (what followers may read), whether writing has ended, and why it failed. */
        private long flushed;
        private boolean ended;
        private Exception failure;

        private Writer(Path dir, FileChannel lockChannel, FileLock lock, FileChannel data, Digest expected,
                       long expectedSize) throws IOException {
            this.dir = dir;
            this.lockChannel = lockChannel;
            this.lock = lock;
            this.data = data;
            this.expected = expected;
            this.expectedSize = expectedSize;
            rehash();
        }

        /** Hashes what an earlier writer left; a partial longer than the blob can be is dropped. */
        private void rehash() throws IOException {
            long size = data.size();
            if (expectedSize >= 0 && size > expectedSize) {
                data.truncate(0);
                size = 0;
            }
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            long pos = 0;
            while (pos < size) {
                buf.clear();
                int n = data.read(buf, pos);
                if (n < 0) break;
                md.update(buf.array(), 0, n);
                pos += n;
            }
            offset = pos;
            data.position(pos);
            flushed = pos;
        }

        /** Bytes already in this ingest: a download resumes from here (HTTP Range). */
        public long offset() {
            return offset;
        }

        /** Drops the partial content and starts again at 0 (when a server will not resume). */
        public void truncate() {
            try {
                pending.clear();
                data.truncate(0);
                data.position(0);
                md = Digest.sha256();
                offset = 0;
                synchronized (this) {
                    flushed = 0;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public void write(byte[] b, int off, int len) {
            try {
                if (len > pending.remaining()) flush();
                if (len > pending.capacity()) {
                    ByteBuffer bb = ByteBuffer.wrap(b, off, len);
                    while (bb.hasRemaining()) data.write(bb);
                } else {
                    pending.put(b, off, len);
                }
                md.update(b, off, len);
                offset += len;
                if (expectedSize >= 0 && offset > expectedSize) {
                    throw new ImageException("blob " + expected + " is larger than its descriptor's " + expectedSize + " bytes");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("write ingest " + dir.getFileName(), e);
            }
        }

        private void flush() throws IOException {
            pending.flip();
            while (pending.hasRemaining()) data.write(pending);
            pending.clear();
            synchronized (this) {
                flushed = data.position();
                notifyAll();
            }
        }

        /**
         * Says the content is complete (every byte written): followers read to the end and see end of file.
         * {@link #commit()} implies it.
         */
        public void endOfContent() {
            try {
                flush();
            } catch (IOException e) {
                throw new UncheckedIOException("write ingest " + dir.getFileName(), e);
            }
            synchronized (this) {
                ended = true;
                notifyAll();
            }
        }

        /** Says writing failed: followers get {@code why} instead of waiting for more. */
        public synchronized void fail(Exception why) {
            failure = why;
            notifyAll();
        }

        /**
         * A stream of this blob's bytes from the start, read back from the ingest file while it is still being
         * written: it waits for bytes not yet written and ends once {@link #endOfContent()} was called. So a
         * second thread can unpack a layer while the first one downloads it, without holding it in memory.
         */
        public InputStream follow() throws IOException {
            FileChannel reader = FileChannel.open(dir.resolve("data"), StandardOpenOption.READ);
            return new InputStream() {
                private long pos;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    int n = read(one, 0, 1);
                    return n < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (len == 0) return 0;
                    long available;
                    synchronized (Writer.this) {
                        while (pos >= flushed && !ended && failure == null) {
                            try {
                                Writer.this.wait();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                throw new java.io.InterruptedIOException("interrupted waiting for " + dir.getFileName());
                            }
                        }
                        if (failure != null) throw new IOException("download failed: " + failure.getMessage(), failure);
                        available = flushed - pos;
                    }
                    if (available <= 0) return -1;
                    int n = reader.read(ByteBuffer.wrap(b, off, (int) Math.min(len, available)), pos);
                    if (n > 0) pos += n;
                    return n;
                }

                @Override
                public void close() throws IOException {
                    reader.close();
                }
            };
        }

        /** This writer as an OutputStream (close() of the stream does not commit). */
        public OutputStream stream() {
            return new OutputStream() {
                @Override
                public void write(int b) {
                    Writer.this.write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    Writer.this.write(b, off, len);
                }
            };
        }

        /**
         * Verifies size and digest, makes the bytes durable and publishes the blob. On a mismatch the
         * partial content is discarded (it can never become right) and an ImageException says what differed.
         */
        public Digest commit() {
            Digest actual = Digest.of(md);
            try {
                endOfContent();
                if (expectedSize >= 0 && offset != expectedSize) {
                    discard();
                    throw new ImageException("blob " + (expected != null ? expected : actual) + ": got " + offset
                            + " bytes, descriptor says " + expectedSize);
                }
                if (expected != null && !expected.equals(actual)) {
                    discard();
                    throw new ImageException("blob " + expected + ": content has digest " + actual + " (corrupt or tampered)");
                }
                Path target = path(actual);
                if (!Files.exists(target)) {
                    data.force(true);
                    try {
                        Files.move(dir.resolve("data"), target, StandardCopyOption.ATOMIC_MOVE);
                    } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                        throw new IOException(e);
                    }
                    fsyncDir(blobs);
                } else {
                    Files.deleteIfExists(dir.resolve("data"));
                }
                done = true;
                return actual;
            } catch (IOException e) {
                throw new UncheckedIOException("commit blob " + actual, e);
            }
        }

        private void discard() throws IOException {
            data.truncate(0);
            Files.deleteIfExists(dir.resolve("data"));
            done = true;
        }

        @Override
        public void close() {
            try {
                if (!done) flush(); // kept for a resume
                data.close();
                // The lock file stays (deleting it would let a waiting writer and a new one both hold
                // "the" lock); cleanIngest removes finished ingest directories.
                if (done) Files.deleteIfExists(dir.resolve("data"));
                lock.release();
                lockChannel.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static void fsyncDir(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
