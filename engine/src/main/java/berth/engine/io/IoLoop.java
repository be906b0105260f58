package berth.engine.io;

import berth.sys.Errno;
import berth.sys.SysException;
import berth.sys.Syscalls;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The daemon's one I/O thread. It watches the output of every running container (and exec) with epoll: named
 * pipes opened non-blocking, read until end of file, which comes when every holder of a write end (the process
 * and its monitor) is gone, and optionally a terminal master. Each readiness gets one read of at most
 * {@value #READ_SIZE} bytes, handed to the stream's {@link ByteSink} on this thread; level-triggered epoll brings
 * a stream back while bytes are left, so a busy container cannot starve the others. When all pipes of a session
 * have ended (and its terminal, or its grace time), the session's end action runs on a virtual thread of its own,
 * so that the loop never waits on it.
 *
 * <p>Sessions are added from any thread; the loop is woken through an eventfd to take them. Everything else is
 * touched only by the loop's thread.
 */
public final class IoLoop implements AutoCloseable {
    /** The most one read takes from a stream before the others get their turn. */
    static final int READ_SIZE = 32 * 1024;

    private static final Logger LOG = Logger.getLogger(IoLoop.class.getName());
    private static final long WAKE_TOKEN = 0;
    private static final int MAX_EVENTS = 64;
    private static final byte[] ONE = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(1).array();

    /** A named pipe to read until end of file, its bytes going to {@code sink}. */
    public record Fifo(Path path, ByteSink sink) {}

    /**
     * A terminal master to read as well. {@code fd} belongs to the loop from then on (hand it a duplicate) and is
     * read only when epoll reports it ready, so it may be a blocking descriptor. Once the session's pipes have
     * ended it is read until its own end (EIO: nothing holds the slave side any more), for {@code grace} at most.
     */
    public record Terminal(int fd, ByteSink sink, Duration grace) {}

    private final Syscalls sys;
    private final int epoll;
    private final int wake;
    private final Queue<Session> added = new ConcurrentLinkedQueue<>();
    private final Queue<Session> resumed = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private boolean closed; // guarded by this
    // the loop thread's own
    private final Map<Long, Stream> streams = new HashMap<>();
    private final List<Session> lingering = new ArrayList<>(); // pipes ended, terminal still read until its deadline
    private final byte[] buf = new byte[READ_SIZE];
    private final byte[] wakeCount = new byte[8];
    private long nextToken = WAKE_TOKEN + 1;

    private IoLoop(Syscalls sys, int epoll, int wake) {
        this.sys = sys;
        this.epoll = epoll;
        this.wake = wake;
        this.thread = Thread.ofPlatform().name("berth-io").daemon().unstarted(this::run);
    }

    /** Creates the epoll instance and its wake-up eventfd and starts the loop's thread. */
    public static IoLoop start(Syscalls sys) {
        int epoll = sys.epollCreate();
        int wake = -1;
        try {
            wake = sys.eventFd();
            sys.epollAdd(epoll, wake, Syscalls.EPOLLIN, WAKE_TOKEN);
        } catch (SysException e) {
            sys.close(wake);
            sys.close(epoll);
            throw e;
        }
        IoLoop loop = new IoLoop(sys, epoll, wake);
        loop.thread.start();
        return loop;
    }

    /**
     * Reads {@code fifos} (opened here, non-blocking: a failure to open throws) and {@code terminal} (null for none)
     * from now on, and runs {@code onEnd} on a virtual thread once they all ended: after each sink's last bytes and
     * its {@link ByteSink#end()}. The session returned resumes the reads when a sink had them paused.
     *
     * @throws SysException if a pipe cannot be opened; {@code terminal}'s descriptor is closed then
     * @throws IllegalStateException if the loop is closed
     */
    public Session watch(List<Fifo> fifos, Terminal terminal, Runnable onEnd) {
        if (fifos.isEmpty()) throw new IllegalArgumentException("a session of the I/O loop needs a pipe whose end is its end");
        Session session = new Session(this, onEnd, terminal == null ? Duration.ZERO : terminal.grace());
        try {
            for (Fifo f : fifos) session.pipes.add(new Stream(sys.openNonBlocking(f.path().toString()), f.sink(), session));
        } catch (SysException e) {
            session.pipes.forEach(s -> sys.close(s.fd));
            if (terminal != null) sys.close(terminal.fd());
            throw e;
        }
        session.openPipes = session.pipes.size();
        if (terminal != null) session.terminal = new Stream(terminal.fd(), terminal.sink(), session);
        synchronized (this) {
            if (closed) {
                session.pipes.forEach(s -> sys.close(s.fd));
                if (terminal != null) sys.close(terminal.fd());
                throw new IllegalStateException("the I/O loop is closed");
            }
            added.add(session);
            sys.writeFully(wake, ONE);
        }
        return session;
    }

    private synchronized void resume(Session session) {
        if (closed) return;
        resumed.add(session);
        sys.writeFully(wake, ONE);
    }

    /**
     * Stops the loop and closes its descriptors, those of the streams it still reads included, without ending
     * their sinks or sessions: the processes behind them live on (the daemon is going away).
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
            sys.writeFully(wake, ONE);
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // the loop may still use its descriptors: leave them to the process's exit
        }
        for (Stream s : streams.values()) sys.close(s.fd);
        for (Session s; (s = added.poll()) != null; ) {
            s.pipes.forEach(p -> sys.close(p.fd));
            if (s.terminal != null) sys.close(s.terminal.fd);
        }
        sys.close(wake);
        sys.close(epoll);
    }

    private synchronized boolean closed() {
        return closed;
    }

    private void run() {
        try {
            while (!closed()) {
                for (Session s; (s = added.poll()) != null; ) register(s);
                for (Session s; (s = resumed.poll()) != null; ) unpause(s);
                for (Syscalls.EpollEvent e : sys.epollWait(epoll, MAX_EVENTS, timeoutMillis())) {
                    if (e.token() == WAKE_TOKEN) {
                        sys.readNonBlocking(wake, wakeCount, 0, wakeCount.length);
                    } else {
                        Stream s = streams.get(e.token());
                        if (s != null && !s.session.paused) readOnce(s); // null: it ended earlier in this batch
                    }
                }
                endOverdueTerminals();
            }
        } catch (RuntimeException | Error e) {
            LOG.log(Level.SEVERE, "the I/O loop failed; container output is no longer read: " + e, e);
            throw e;
        }
    }

    private void register(Session session) {
        if (session.terminal != null) add(session.terminal);
        for (Stream s : session.pipes) add(s);
        readPipes(session);
    }

    private void add(Stream s) {
        s.token = nextToken++;
        streams.put(s.token, s);
        watchFd(s);
    }

    private void watchFd(Stream s) {
        try {
            sys.epollAdd(epoll, s.fd, Syscalls.EPOLLIN, s.token);
        } catch (SysException e) {
            LOG.warning("cannot watch a container's output: " + e.getMessage());
            end(s);
        }
    }

    /**
     * One read of each pipe of a session just added or resumed: a pipe with no writer left (the process and its
     * monitor exited before the loop got here) is not reported as hung up, since no writer closed after it was
     * opened; its end of file shows only in a read.
     */
    private void readPipes(Session session) {
        for (Stream s : List.copyOf(session.pipes)) {
            if (!s.ended && !session.paused) readOnce(s);
        }
    }

    /** Stops watching a session's streams until {@link Session#resume()}: its sink wants no more for now. */
    private void pause(Session session) {
        session.paused = true;
        for (Stream s : session.streams()) {
            try {
                sys.epollDelete(epoll, s.fd);
            } catch (SysException e) {
                LOG.warning("cannot pause reading a container's output: " + e.getMessage());
            }
        }
    }

    private void unpause(Session session) {
        if (!session.paused) return;
        session.paused = false;
        for (Stream s : session.streams()) watchFd(s);
        readPipes(session);
    }

    private void readOnce(Stream s) {
        int n;
        try {
            n = sys.readNonBlocking(s.fd, buf, 0, buf.length);
        } catch (SysException e) {
            // EIO: a terminal master whose slave side is closed, its end of file
            if (e.errno() != Errno.EIO) LOG.warning("reading a container's output ended: " + e.getMessage());
            n = 0;
        }
        if (n > 0) {
            try {
                if (!s.sink.write(buf, 0, n)) pause(s.session);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "dropping " + n + " bytes of a container's output: " + e.getMessage(), e);
            }
        } else if (n == 0) {
            end(s);
        }
    }

    private void end(Stream s) {
        if (s.ended) return;
        s.ended = true;
        streams.remove(s.token);
        try {
            sys.epollDelete(epoll, s.fd); // before close: a terminal's file may still be open elsewhere
        } catch (SysException ignored) {
            // never added (epoll_ctl failed)
        }
        sys.close(s.fd);
        try {
            s.sink.end();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "ending a container's output stream failed: " + e.getMessage(), e);
        }
        Session session = s.session;
        if (s != session.terminal) {
            if (--session.openPipes > 0) return;
            if (session.terminal != null && !session.terminal.ended) {
                session.deadline = System.nanoTime() + session.grace.toNanos();
                lingering.add(session);
                return;
            }
        } else if (session.openPipes > 0) {
            return;
        }
        lingering.remove(session);
        Thread.ofVirtual().name("berth-io-end").start(session.onEnd);
    }

    /** How long epoll may wait: until the first lingering terminal's deadline, or without limit. */
    private int timeoutMillis() {
        if (lingering.isEmpty()) return -1;
        long first = Long.MAX_VALUE;
        for (Session s : lingering) first = Math.min(first, s.deadline);
        long nanos = first - System.nanoTime();
        return nanos <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, (nanos + 999_999) / 1_000_000);
    }

    private void endOverdueTerminals() {
        long now = System.nanoTime();
        for (Session s : List.copyOf(lingering)) {
            if (now - s.deadline >= 0) end(s.terminal);
        }
    }

    /** The streams read for one container run or exec, and what to do when they have all ended. */
    public static final class Session {
        private final IoLoop loop;
        private final List<Stream> pipes = new ArrayList<>();
        private final Runnable onEnd;
        private final Duration grace;
        private Stream terminal;
        private int openPipes;
        private long deadline;
        private boolean paused;

        private Session(IoLoop loop, Runnable onEnd, Duration grace) {
            this.loop = loop;
            this.onEnd = onEnd;
            this.grace = grace;
        }

        /** Has the loop read this session again after a sink returned false; from any thread. */
        public void resume() {
            loop.resume(this);
        }

        /** The streams not ended yet. */
        private List<Stream> streams() {
            List<Stream> open = new ArrayList<>();
            for (Stream s : pipes) if (!s.ended) open.add(s);
            if (terminal != null && !terminal.ended) open.add(terminal);
            return open;
        }
    }

    /** One descriptor being read. */
    private static final class Stream {
        final int fd;
        final ByteSink sink;
        final Session session;
        long token;
        boolean ended;

        Stream(int fd, ByteSink sink, Session session) {
            this.fd = fd;
            this.sink = sink;
            this.session = session;
        }
    }
}
