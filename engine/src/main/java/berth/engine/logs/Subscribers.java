package berth.engine.logs;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The clients attached to a container's output ({@code docker attach}, {@code docker run} without {@code -d}): each
 * gets, through its {@link Subscription}, the output of the streams it asked for as the {@link Copier} reads it,
 * and the end when those streams end. Publishing never blocks: each subscription buffers up to its own byte limit,
 * and one that falls further behind is dropped (it gets what it had buffered, then its end, and reports
 * {@link Subscription#overflowed()}), so a slow or vanished client cannot hold up the container or its log.
 */
public final class Subscribers {
    /** A buffer limit that fits a burst of output without letting many stuck clients eat the heap. */
    public static final int DEFAULT_BUFFER_BYTES = 1 << 20;

    private final Set<StdStream> streams;
    private final Set<StdStream> ended = EnumSet.noneOf(StdStream.class);
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

    /** @param streams the streams the container has: stdout and stderr, or only stdout with a TTY */
    public Subscribers(Set<StdStream> streams) {
        this.streams = EnumSet.copyOf(streams);
    }

    /**
     * Attaches a client to the streams in {@code wanted} that the container has; streams that have already ended are
     * ended for it at once (subscribing after the container's exit gives an ended subscription).
     */
    public synchronized Subscription subscribe(Set<StdStream> wanted, int maxBufferedBytes) {
        Set<StdStream> open = EnumSet.noneOf(StdStream.class);
        for (StdStream s : wanted) {
            if (streams.contains(s) && !ended.contains(s)) {
                open.add(s);
            }
        }
        Subscription subscription = new Subscription(open, maxBufferedBytes, subscriptions::remove);
        if (!open.isEmpty()) {
            subscriptions.add(subscription);
        }
        return subscription;
    }

    /** Hands {@code data[off, off+len)} of {@code stream} to every subscription that wants it, without waiting. */
    public void publish(StdStream stream, byte[] data, int off, int len) {
        if (subscriptions.isEmpty() || len == 0) {
            return;
        }
        OutputChunk chunk = new OutputChunk(stream, Arrays.copyOfRange(data, off, off + len));
        for (Subscription s : subscriptions) {
            s.offer(chunk);
        }
    }

    /** Marks {@code stream} as ended; subscriptions whose streams have all ended finish once drained. */
    public synchronized void end(StdStream stream) {
        ended.add(stream);
        for (Subscription s : subscriptions) {
            s.streamEnded(stream);
        }
    }

    /** How many clients are attached now (the ones dropped or finished are gone). */
    public int count() {
        return subscriptions.size();
    }
}
