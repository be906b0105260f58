package berth.engine.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A response body as an OutputStream: writes collect in a small buffer, which goes to the client as one frame
 * (an HTTP chunk, or raw bytes on a hijacked connection) on {@code flush()} or when it fills. Safe for several
 * threads: each write call is appended whole. Closing it flushes and runs the ending (the last chunk, a
 * half-close).
 */
final class ChannelOutput extends OutputStream {
    /** What closing the stream sends or does after the last bytes. */
    @FunctionalInterface
    interface Ending {
        void end() throws IOException;
    }

    private static final int BUFFER = 16 * 1024;

    private final Outbound out;
    private final Function<ByteBuf, Object> frame;
    private final Ending ending;
    private final boolean discard;
    private final ReentrantLock lock = new ReentrantLock();
    private final byte[] buffer = new byte[BUFFER];
    private int count;
    private boolean closed;

    /** {@code discard}: accept and drop every byte (the body of a response to HEAD). */
    ChannelOutput(Outbound out, Function<ByteBuf, Object> frame, Ending ending, boolean discard) {
        this.out = out;
        this.frame = frame;
        this.ending = ending;
        this.discard = discard;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        lock.lock();
        try {
            ensureOpen();
            if (discard || len == 0) {
                return;
            }
            if (count + len <= buffer.length) {
                System.arraycopy(b, off, buffer, count, len);
                count += len;
                return;
            }
            drain();
            if (len < buffer.length) {
                System.arraycopy(b, off, buffer, 0, len);
                count = len;
            } else {
                out.write(frame.apply(Unpooled.wrappedBuffer(Arrays.copyOfRange(b, off, off + len))));
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void flush() throws IOException {
        lock.lock();
        try {
            ensureOpen();
            drain();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            drain();
            ending.end();
        } finally {
            lock.unlock();
        }
    }

    boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    private void drain() throws IOException {
        if (count > 0) {
            ByteBuf bytes = Unpooled.wrappedBuffer(Arrays.copyOf(buffer, count));
            count = 0;
            out.write(frame.apply(bytes));
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("the response stream is closed");
        }
    }
}
