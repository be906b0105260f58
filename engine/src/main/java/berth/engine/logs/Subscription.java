package berth.engine.logs;

import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One attached client's view of a container's live output: {@link #next()} gives the chunks in the order they were
 * read, then the end. See {@link Subscribers} for what happens to a client that does not keep up.
 */
public final class Subscription implements AutoCloseable {
    private final Set<StdStream> open;
    private final int maxBufferedBytes;
    private final Consumer<Subscription> onFinish;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<OutputChunk> queue = new ArrayDeque<>();
    private long buffered;
    private boolean overflowed;
    private boolean closed;

    Subscription(Set<StdStream> streams, int maxBufferedBytes, Consumer<Subscription> onFinish) {
        if (maxBufferedBytes <= 0) {
            throw new IllegalArgumentException("a subscription's buffer limit must be positive, not " + maxBufferedBytes);
        }
        this.open = streams.isEmpty() ? EnumSet.noneOf(StdStream.class) : EnumSet.copyOf(streams);
        this.maxBufferedBytes = maxBufferedBytes;
        this.onFinish = onFinish;
    }

    /**
     * The next chunk of output, waiting for one; empty once every subscribed stream has ended and all was taken,
     * after the subscription was dropped for falling behind, or after {@link #close()}.
     */
    public Optional<OutputChunk> next() throws InterruptedException {
        lock.lock();
        try {
            while (queue.isEmpty() && !finished()) {
                changed.await();
            }
            OutputChunk chunk = queue.poll();
            if (chunk != null) {
                buffered -= chunk.data().length;
            }
            return Optional.ofNullable(chunk);
        } finally {
            lock.unlock();
        }
    }

    /** Whether this client fell more than its buffer limit behind and was dropped, missing later output. */
    public boolean overflowed() {
        lock.lock();
        try {
            return overflowed;
        } finally {
            lock.unlock();
        }
    }

    /** Detaches: buffered output is discarded and {@link #next()} returns empty. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            queue.clear();
            buffered = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        onFinish.accept(this);
    }

    void offer(OutputChunk chunk) {
        boolean dropped = false;
        lock.lock();
        try {
            if (!open.contains(chunk.stream()) || overflowed || closed) {
                return;
            }
            if (buffered + chunk.data().length > maxBufferedBytes) {
                overflowed = true;
                dropped = true;
            } else {
                queue.add(chunk);
                buffered += chunk.data().length;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (dropped) {
            onFinish.accept(this);
        }
    }

    void streamEnded(StdStream stream) {
        boolean finished;
        lock.lock();
        try {
            open.remove(stream);
            finished = open.isEmpty();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (finished) {
            onFinish.accept(this);
        }
    }

    private boolean finished() {
        return open.isEmpty() || overflowed || closed;
    }
}
