package berth.engine;

import berth.engine.io.ByteSink;
import berth.engine.io.IoLoop;
import berth.engine.logs.Copier;
import berth.engine.logs.JsonFileLog;
import berth.engine.logs.LogReader;
import berth.engine.logs.LogRotation;
import berth.engine.logs.OutputChunk;
import berth.engine.logs.ReadOptions;
import berth.engine.logs.StdStream;
import berth.engine.logs.StreamFraming;
import berth.engine.logs.StreamWriter;
import berth.engine.logs.Subscribers;
import berth.engine.logs.Subscription;
import berth.runtime.ContainerRuntime;
import berth.sys.Errno;
import berth.sys.SysException;
import berth.sys.Syscalls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * A container's stdio as the engine holds it. The container writes to named pipes in its directory
 * ({@code stdout}, {@code stderr}) that its monitor also holds open, so nothing is lost and nothing breaks
 * while the daemon is away; the daemon copies them into the json-file log and to attached clients. Its stdin
 * ({@code -i}) is a pipe whose write end only the daemon holds. With a TTY the output comes from the pty
 * master the executor hands over on its {@link ConsoleSocket}; the monitor keeps a copy, which a daemon that
 * comes back takes over ({@link #adoptTerminal}).
 */
public final class ContainerIo {
    /** How long a terminal's last output is waited for once the monitor has exited. */
    private static final Duration TERMINAL_GRACE = Duration.ofSeconds(2);

    /** Where a detached monitor keeps the terminal's master (executor.c's MONITOR_MASTER_FD). */
    private static final int MONITOR_MASTER_FD = 3;
    private final Syscalls sys;
    private final ContainerStore store;
    private final IoLoop loop;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    /** Clients attached before the container started (docker run attaches first): subscribed when it starts. */
    private final Map<String, java.util.List<Pending>> pending = new ConcurrentHashMap<>();

    private record Pending(Set<StdStream> wanted, CompletableFuture<Attached> attached) {}

    private record Attached(Session session, Subscription subscription) {}

    /** What an attach asks for. */
    public record AttachOptions(boolean stdin, boolean stdout, boolean stderr, boolean logs, boolean stream, boolean multiplex) {}

    /** What logs asks for; times in nanoseconds since the epoch, 0 for none; tail -1 for all. */
    public record LogOptions(boolean stdout, boolean stderr, boolean follow, boolean timestamps, long sinceNanos,
                             long untilNanos, int tail) {}

    /** One run of a container: its log, its attached clients, its stdin and terminal. */
    private static final class Session {
        final JsonFileLog log;
        final Subscribers live;
        final CompletableFuture<Void> ended = new CompletableFuture<>();
        FileChannel stdin;
        int master = -1;
        int consoleListener = -1;
        /** The container's process has its end of the stdin pipe open (see {@link #closeStdinOnce}). */
        boolean started;
        boolean closeStdinWhenStarted;

        Session(JsonFileLog log, boolean tty) {
            this.log = log;
            this.live = new Subscribers(tty ? EnumSet.of(StdStream.STDOUT) : EnumSet.of(StdStream.STDOUT, StdStream.STDERR));
        }
    }

    /** @param loop reads the output of every running container */
    public ContainerIo(Syscalls sys, ContainerStore store, IoLoop loop) {
        this.sys = sys;
        this.store = store;
        this.loop = loop;
    }

    private static LogRotation rotation(Container c) {
        Map<String, String> opts = new HashMap<>();
        c.hostConfig.path("LogConfig").path("Config").properties().forEach(e -> opts.put(e.getKey(), e.getValue().asText()));
        return LogRotation.fromOptions(opts);
    }

    /** Before start: the pipes, the log, and the executor's stdio sources. */
    public ContainerRuntime.Monitored prepare(Container c, Path dir, Path statusFile) {
        try {
            Session s = new Session(JsonFileLog.open(dir, c.id, rotation(c)), c.tty());
            Pipes.fifo(sys, dir.resolve("stdout"));
            Pipes.fifo(sys, dir.resolve("stderr"));
            Map<Integer, String> stdio = new HashMap<>();
            if (c.openStdin()) {
                Path in = dir.resolve("stdin");
                Pipes.fifo(sys, in);
                s.stdin = Pipes.writer(in);
                stdio.put(0, "or:" + in);
            } else {
                stdio.put(0, "or:/dev/null");
            }
            stdio.put(1, "orw:" + dir.resolve("stdout"));
            stdio.put(2, "orw:" + dir.resolve("stderr"));
            String console = null;
            if (c.tty()) {
                s.consoleListener = ConsoleSocket.listen(sys, dir);
                console = ConsoleSocket.of(dir).toString();
            }
            synchronized (this) {
                Session old = sessions.put(c.id, s);
                if (old != null) closeSession(old);
                java.util.List<Pending> waiting = pending.remove(c.id);
                if (waiting != null) {
                    for (Pending w : waiting) w.attached().complete(new Attached(s, s.live.subscribe(w.wanted(), Subscribers.DEFAULT_BUFFER_BYTES)));
                }
            }
            return new ContainerRuntime.Monitored(stdio, console, statusFile);
        } catch (IOException e) {
            throw new UncheckedIOException("set up the stdio of " + c.name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Copies the output into the log and to attached clients, on the daemon's {@link IoLoop}, until the monitor
     * exits (end of file on both pipes), then runs {@code onEnd} on a thread of its own. For a container
     * re-adopted after a daemon restart a new session is made.
     */
    public void follow(Container c, Path dir, Runnable onEnd) {
        Session s = session(c, dir);
        synchronized (s) {
            s.started = true;
            if (s.closeStdinWhenStarted) closeStdin(s);
        }
        Copier copier = new Copier(s.log, s.live, Clock.systemUTC());
        if (s.consoleListener >= 0) {
            try {
                s.master = ConsoleSocket.receiveMaster(sys, s.consoleListener, dir);
            } finally {
                sys.close(s.consoleListener);
                s.consoleListener = -1;
            }
        }
        IoLoop.Terminal terminal = s.master >= 0
                ? new IoLoop.Terminal(sys.dup(s.master), copier.feed(StdStream.STDOUT), TERMINAL_GRACE) : null;
        // with a TTY the pipes carry nothing: they only tell when the monitor exits
        ByteSink out = c.tty() ? ByteSink.DISCARD : copier.feed(StdStream.STDOUT);
        ByteSink err = c.tty() ? ByteSink.DISCARD : copier.feed(StdStream.STDERR);
        loop.watch(List.of(new IoLoop.Fifo(dir.resolve("stdout"), out), new IoLoop.Fifo(dir.resolve("stderr"), err)), terminal, () -> {
            closeSession(s);
            sessions.remove(c.id, s);
            s.ended.complete(null);
            onEnd.run();
        });
    }


    /** The container's session; a new one for a container re-adopted after a daemon restart. */
    private Session session(Container c, Path dir) {
        return sessions.computeIfAbsent(c.id, id -> {
            try {
                return new Session(JsonFileLog.open(dir, c.id, rotation(c)), c.tty());
            } catch (IOException e) {
                throw new UncheckedIOException("open the log of " + c.name + ": " + e.getMessage(), e);
            }
        });
    }

    /**
     * For a TTY container that the last daemon left running, before {@link #follow}: takes a copy of the
     * terminal's master from the container's monitor, which keeps one at {@link #MONITOR_MASTER_FD} (see
     * executor.c), so that its output reaches the log again and attach, stdin and resize work. Does nothing
     * when the monitor is gone: {@link #follow} then sees the end.
     */
    public void adoptTerminal(Container c, Path dir) {
        int monitor = c.state.monitorPid;
        if (monitor <= 0) throw new EngineException("its monitor's pid is not recorded");
        int pidfd = -1;
        try {
            pidfd = sys.pidfdOpen(monitor);
            if (holdsOutput(monitor, dir)) session(c, dir).master = sys.pidfdGetfd(pidfd, MONITOR_MASTER_FD);
        } catch (SysException e) {
            if (e.errno() != Errno.ESRCH) throw e; // else the monitor is gone
        } finally {
            sys.close(pidfd);
        }
    }

    /** Whether process {@code pid} holds the container's stdout FIFO as its descriptor 1: its monitor, not a reused pid. */
    private static boolean holdsOutput(int pid, Path dir) {
        try {
            return Files.isSameFile(Path.of("/proc/" + pid + "/fd/1"), dir.resolve("stdout"));
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("check the monitor " + pid + "'s stdout: " + e.getMessage(), e);
        }
    }

    private void closeSession(Session s) {
        try {
            s.log.close();
        } catch (IOException ignored) {
            // the log's last write already reported its failure
        }
        closeStdin(s);
        if (s.master >= 0) {
            sys.close(s.master);
            s.master = -1;
        }
        if (s.consoleListener >= 0) {
            sys.close(s.consoleListener);
            s.consoleListener = -1;
        }
    }

    private static void closeStdin(Session s) {
        FileChannel in = s.stdin;
        s.stdin = null;
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // closed already
            }
        }
    }

    /** Drops the session of a container being removed. */
    public synchronized void close(Container c) {
        Session s = sessions.remove(c.id);
        if (s != null) closeSession(s);
        java.util.List<Pending> waiting = pending.remove(c.id);
        if (waiting != null) waiting.forEach(w -> w.attached().cancel(false));
    }

    public void resize(Container c, int height, int width) {
        Session s = sessions.get(c.id);
        if (s == null || s.master < 0) {
            if (!c.state.running()) throw new EngineException.Conflict("Container " + c.id + " is not running");
            return;
        }
        if (height > 0 && width > 0) sys.setWindowSize(s.master, height, width);
    }

    /**
     * {@code attach}: the container's output as it is produced until it exits, stdin from the client. A
     * container that is not running yet is waited for (docker run attaches before it starts).
     */
    public void attach(Container c, AttachOptions o, InputStream in, OutputStream out) throws IOException, InterruptedException {
        StreamWriter writer = o.multiplex() ? StreamFraming.multiplexed(out) : StreamFraming.raw(out);
        if (o.logs()) {
            LogReader.forFile(JsonFileLog.logPath(store.dir(c.id), c.id))
                    .read(ReadOptions.all().withStreams(o.stdout(), o.stderr()), writer);
            writer.flush();
        }
        if (!o.stream()) return;
        Set<StdStream> wanted = EnumSet.noneOf(StdStream.class);
        if (o.stdout()) wanted.add(StdStream.STDOUT);
        if (o.stderr()) wanted.add(StdStream.STDERR);
        CompletableFuture<Attached> f = new CompletableFuture<>();
        synchronized (this) {
            Session s = sessions.get(c.id);
            if (s != null && !s.ended.isDone()) {
                f.complete(new Attached(s, s.live.subscribe(wanted, Subscribers.DEFAULT_BUFFER_BYTES)));
            } else {
                pending.computeIfAbsent(c.id, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(new Pending(wanted, f));
            }
        }
        Attached a;
        try {
            a = f.get();
        } catch (java.util.concurrent.CancellationException | java.util.concurrent.ExecutionException e) {
            return;
        }
        Session session = a.session();
        Thread input = null;
        if (o.stdin() && c.openStdin()) {
            boolean once = c.config.path("StdinOnce").asBoolean(false);
            input = Thread.ofVirtual().name("stdin-" + c.shortId()).start(() -> pumpStdin(session, in, once));
        }
        try (Subscription sub = a.subscription()) {
            while (true) {
                Optional<OutputChunk> chunk = sub.next();
                if (chunk.isEmpty()) break;
                writer.write(chunk.get().stream(), chunk.get().data(), 0, chunk.get().data().length);
                writer.flush();
            }
        } finally {
            if (input != null) input.interrupt();
        }
    }

    private void pumpStdin(Session s, InputStream in, boolean once) {
        Pipes.copyInput(sys, in, () -> s.master, () -> s.stdin);
        if (once) closeStdinOnce(s);
    }

    /**
     * Ends the container's stdin for a {@code StdinOnce} client. Before the process has the pipe open, the
     * daemon's end is the only one and closing it would drop what the client sent (docker run -i with input
     * that ends before the container starts), so the close waits for {@link #follow}.
     */
    private static void closeStdinOnce(Session s) {
        synchronized (s) {
            if (s.started) closeStdin(s);
            else s.closeStdinWhenStarted = true;
        }
    }

    /** {@code logs}: the log's entries, and with {@code follow} new ones until the container ends. */
    public void logs(Container c, LogOptions o, OutputStream out, boolean multiplex, BooleanSupplier clientGone)
            throws IOException, InterruptedException {
        StreamWriter writer = multiplex ? StreamFraming.multiplexed(out) : StreamFraming.raw(out);
        Session s = sessions.get(c.id);
        ReadOptions ro = ReadOptions.all().withStreams(o.stdout(), o.stderr()).withTail(o.tail())
                .withTimestamps(o.timestamps()).withFollow(o.follow() && s != null)
                .withSince(o.sinceNanos() == 0 ? null : instant(o.sinceNanos()))
                .withUntil(o.untilNanos() == 0 ? null : instant(o.untilNanos()));
        LogReader reader = s != null ? s.log.reader() : LogReader.forFile(JsonFileLog.logPath(store.dir(c.id), c.id));
        reader.read(ro, (stream, data, off, len) -> {
            if (clientGone.getAsBoolean()) throw new IOException("the client went away");
            writer.write(stream, data, off, len);
            writer.flush();
        });
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L);
    }
}
