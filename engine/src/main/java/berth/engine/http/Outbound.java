package berth.engine.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes to one client connection from blocking code: every write is flushed at once, and the writer waits
 * while Netty's outbound buffer is above its high-water mark, so a fast producer cannot outrun a slow client.
 * Once a write failed or the connection closed, writes throw IOException.
 */
final class Outbound {
    private final Channel channel;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition writable = lock.newCondition();
    private volatile Throwable failure;
    private volatile ChannelFuture last;

    Outbound(Channel channel) {
        this.channel = channel;
    }

    /** Writes and flushes {@code msg}; off the event loop, then waits until the channel is writable again. */
    void write(Object msg) throws IOException {
        try {
            check();
        } catch (IOException e) {
            ReferenceCountUtil.release(msg);
            throw e;
        }
        ChannelFuture f = channel.writeAndFlush(msg);
        last = f;
        f.addListener(this::completed);
        if (!channel.eventLoop().inEventLoop()) {
            awaitWritable();
        }
    }

    /** Whether the connection can take no more writes: a write failed or the channel closed. */
    boolean broken() {
        return failure != null || !channel.isActive();
    }

    /** Runs {@code listener} once every write so far has been handed to the socket (or failed). */
    void afterWrites(ChannelFutureListener listener) {
        ChannelFuture f = last;
        (f == null ? channel.newSucceededFuture() : f).addListener(listener);
    }

    /** Wakes writers waiting for writability (event loop: writability changed or the channel closed). */
    void signal() {
        lock.lock();
        try {
            writable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void completed(io.netty.util.concurrent.Future<? super Void> f) {
        if (!f.isSuccess() && failure == null) {
            failure = f.cause();
            channel.close();
        }
    }

    private void awaitWritable() throws IOException {
        lock.lock();
        try {
            while (channel.isActive() && !channel.isWritable() && failure == null) {
                writable.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing to the client");
        } finally {
            lock.unlock();
        }
        if (failure != null) {
            check();
        }
    }

    private void check() throws IOException {
        Throwable f = failure;
        if (f != null) {
            throw new IOException("write to the client failed: " + Api.message(f), f);
        }
        if (!channel.isActive()) {
            throw new IOException("write to the client failed: the client closed the connection");
        }
    }
}
