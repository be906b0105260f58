package berth.engine;

import berth.engine.io.ByteSink;
import berth.engine.io.IoLoop;
import berth.engine.logs.OutputChunk;
import berth.engine.logs.StdStream;
import berth.engine.logs.StreamWriter;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exec's output on its way from the daemon's {@link IoLoop} to the client of {@code POST /exec/{id}/start}: the
 * loop puts what it reads into a small queue through the {@link #sink}s, and the request's own thread takes it out
 * and writes it to the client ({@link #drainTo}). Once the queue holds its limit the sinks ask the loop to pause the
 * exec's session, and the drainer resumes it when it has taken the queue down to half the limit. A slow client so
 * slows down only its own exec, which blocks on its full pipe; no output is lost and the loop is never held up.
 */
final class ExecOutput {
    private final int limit;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<OutputChunk> queue = new ArrayDeque<>();
    private int buffered;
    private int open;
    private boolean paused;

    /** @param limit how many bytes may be queued before the loop is asked to pause (one read more may come) */
    ExecOutput(int limit) {
        if (limit <= 0) throw new IllegalArgumentException("an exec's output queue needs a positive limit, not " + limit);
        this.limit = limit;
    }

    /** A sink for the loop that queues {@code stream}'s bytes; the output ends when every sink made has ended. */
    ByteSink sink(StdStream stream) {
        lock.lock();
        try {
            open++;
        } finally {
            lock.unlock();
        }
        return new ByteSink() {
            @Override
            public boolean write(byte[] data, int off, int len) {
                return offer(new OutputChunk(stream, Arrays.copyOfRange(data, off, off + len)));
            }

            @Override
            public void end() {
                ended();
            }
        };
    }

    /**
     * Writes the output to {@code client} (flushed after each chunk) until every sink has ended, calling {@code
     * resume} (the session's {@link IoLoop.Session#resume()}) whenever the sinks had asked for a pause and the queue
     * has room again. A client that fails to take a write has gone away: the rest is drained without writing, so the
     * exec runs to its end. Not interruptible: leaving early would leave the exec paused for good.
     */
    void drainTo(StreamWriter client, Runnable resume) {
        StreamWriter to = client;
        while (true) {
            OutputChunk chunk;
            boolean wake;
            lock.lock();
            try {
                while (queue.isEmpty() && open > 0) changed.awaitUninterruptibly();
                chunk = queue.poll();
                if (chunk == null) return;
                buffered -= chunk.data().length;
                wake = paused && buffered <= limit / 2;
                if (wake) paused = false;
            } finally {
                lock.unlock();
            }
            if (wake) resume.run();
            if (to == null) continue;
            try {
                to.write(chunk.stream(), chunk.data(), 0, chunk.data().length);
                to.flush();
            } catch (IOException e) {
                to = null;
            }
        }
    }

    private boolean offer(OutputChunk chunk) {
        lock.lock();
        try {
            queue.add(chunk);
            buffered += chunk.data().length;
            changed.signal();
            if (buffered >= limit) paused = true;
            return !paused;
        } finally {
            lock.unlock();
        }
    }

    private void ended() {
        lock.lock();
        try {
            open--;
            changed.signal();
        } finally {
            lock.unlock();
        }
    }
}
