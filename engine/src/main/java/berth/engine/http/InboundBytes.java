package berth.engine.http;

import io.netty.buffer.ByteBuf;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bytes arriving from the client (a request body, or a hijacked connection's input) as a blocking InputStream.
 * The event loop offers what it reads; when more than {@link #HIGH} bytes wait, reading from the socket stops
 * (the {@link ReadGate} is held) until the consumer has taken the queue down to {@link #LOW}, so an upload of
 * any size is held in memory only a megabyte at a time.
 */
final class InboundBytes extends InputStream {
    static final int HIGH = 1 << 20;
    static final int LOW = 256 << 10;

    private final ReadGate gate;
    private final Executor eventLoop;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private int headOffset;
    private long queued;
    private boolean ended;
    private boolean discarding;
    private boolean holding;
    private String failure;

    InboundBytes(ReadGate gate, Executor eventLoop) {
        this.gate = gate;
        this.eventLoop = eventLoop;
    }

    /** Queues a copy of the readable bytes of {@code buf} (event loop). */
    void offer(ByteBuf buf) {
        int n = buf.readableBytes();
        if (n == 0) {
            return;
        }
        lock.lock();
        try {
            if (ended || discarding || failure != null) {
                return;
            }
            byte[] bytes = new byte[n];
            buf.getBytes(buf.readerIndex(), bytes);
            chunks.add(bytes);
            queued += n;
            if (!holding && queued >= HIGH) {
                holding = true;
                gate.hold();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Marks the end of the bytes: readers get end of stream after what is queued (event loop). */
    void end() {
        lock.lock();
        try {
            ended = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Ends the bytes with an error: readers get an IOException after what is queued, unless they ended already (event loop). */
    void fail(String message) {
        lock.lock();
        try {
            if (!ended && failure == null) {
                failure = message;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Drops what is queued and whatever still arrives; readers see end of stream. */
    void discard() {
        lock.lock();
        try {
            discarding = true;
            chunks.clear();
            headOffset = 0;
            queued = 0;
            releaseWhenDrained();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        lock.lock();
        try {
            while (chunks.isEmpty()) {
                if (failure != null) {
                    throw new IOException(failure);
                }
                if (ended || discarding) {
                    return -1;
                }
                changed.await();
            }
            byte[] head = chunks.peek();
            int n = Math.min(len, head.length - headOffset);
            System.arraycopy(head, headOffset, b, off, n);
            headOffset += n;
            if (headOffset == head.length) {
                chunks.poll();
                headOffset = 0;
            }
            queued -= n;
            releaseWhenDrained();
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading from the client");
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return (int) Math.min(Integer.MAX_VALUE, queued);
        } finally {
            lock.unlock();
        }
    }

    /** Closing the stream discards the rest of the bytes. */
    @Override
    public void close() {
        discard();
    }

    private void releaseWhenDrained() {
        if (holding && queued <= LOW) {
            holding = false;
            eventLoop.execute(gate::release);
        }
    }
}
