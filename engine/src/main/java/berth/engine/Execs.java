package berth.engine;

import berth.engine.io.ByteSink;
import berth.engine.io.IoLoop;
import berth.engine.logs.StdStream;
import berth.engine.logs.StreamFraming;
import berth.engine.spec.Users;
import berth.image.snapshot.Tree;
import berth.runtime.ContainerRuntime;
import berth.runtime.spec.Spec;
import berth.sys.Syscalls;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code docker exec}: instances made by {@code POST /containers/{id}/exec} and run by {@code POST
 * /exec/{id}/start} through the runtime's exec (setns into the container's namespaces) under a detached
 * monitor, with named pipes for stdio like the container's own, read by the daemon's {@link IoLoop} as the
 * containers' are. The exit code is final when the output ends.
 */
public final class Execs {
    /** How much of an exec's output may wait for a slow client before the exec itself has to wait. */
    private static final int QUEUE_BYTES = 256 * 1024;
    /** How long a terminal's last output is waited for once the exec's monitor has exited. */
    private static final Duration TERMINAL_GRACE = Duration.ofSeconds(1);

    private final Syscalls sys;
    private final ContainerStore store;
    private final ContainerRuntime runtime;
    private final IoLoop loop;
    private final Map<String, Instance> instances = new ConcurrentHashMap<>();

    /** One exec instance, as {@code GET /exec/{id}/json} shows it. */
    public static final class Instance {
        public final String id;
        public final Container container;
        public final ObjectNode config;
        public volatile boolean running;
        public volatile Integer exitCode;
        public volatile int pid;
        volatile int master = -1;

        Instance(String id, Container container, ObjectNode config) {
            this.id = id;
            this.container = container;
            this.config = config;
        }

        public boolean tty() {
            return config.path("Tty").asBoolean(false);
        }
    }

    /** @param loop reads the output of every running exec */
    public Execs(Syscalls sys, ContainerStore store, ContainerRuntime runtime, IoLoop loop) {
        this.sys = sys;
        this.store = store;
        this.runtime = runtime;
        this.loop = loop;
    }

    public Instance create(Container c, JsonNode body) {
        if (!c.state.running()) throw new EngineException.Conflict("Container " + c.id + " is not running");
        if (c.state.paused) throw new EngineException.Conflict("Container " + c.id + " is paused, unpause the container before exec");
        JsonNode cmd = body.path("Cmd");
        if (!cmd.isArray() || cmd.isEmpty()) throw new EngineException.Invalid("No exec command specified");
        Instance i = new Instance(Names.newId(), c, (ObjectNode) body.deepCopy());
        instances.put(i.id, i);
        return i;
    }

    public Instance get(String id) {
        Instance i = instances.get(id);
        if (i == null) throw new EngineException.NotFound("No such exec instance: " + id);
        return i;
    }

    /** The exec IDs of a container, for its inspect. */
    public List<String> of(Container c) {
        List<String> out = new ArrayList<>();
        for (Instance i : instances.values()) if (i.container == c && i.running) out.add(i.id);
        return out;
    }

    /**
     * Runs the instance and copies its output to {@code out} (framed unless it has a TTY) and {@code in} to
     * its stdin; returns at its exit, with the exit code recorded. {@code detach}: returns once it runs.
     */
    public void start(Instance i, boolean detach, InputStream in, OutputStream out) throws IOException {
        Container c = i.container;
        synchronized (i) {
            if (i.running || i.exitCode != null) throw new EngineException.Conflict("Error: Exec command " + i.id + " has already run");
            i.running = true;
        }
        Path dir = store.dir(c.id).resolve("exec").resolve(i.id);
        Path status = dir.resolve("exit");
        boolean withStdin = i.config.path("AttachStdin").asBoolean(false) && !detach;
        FileChannel stdin = null;
        int listener = -1;
        try {
            Files.createDirectories(dir);
            Map<Integer, String> stdio = new LinkedHashMap<>();
            for (String f : List.of("stdout", "stderr")) Pipes.fifo(sys, dir.resolve(f));
            if (withStdin) {
                Pipes.fifo(sys, dir.resolve("stdin"));
                stdin = Pipes.writer(dir.resolve("stdin"));
                stdio.put(0, "or:" + dir.resolve("stdin"));
            } else {
                stdio.put(0, "or:/dev/null");
            }
            stdio.put(1, "orw:" + dir.resolve("stdout"));
            stdio.put(2, "orw:" + dir.resolve("stderr"));
            String console = null;
            if (i.tty()) {
                listener = ConsoleSocket.listen(sys, dir);
                console = ConsoleSocket.of(dir).toString();
            }
            Spec.Process p = process(i);
            try {
                i.pid = runtime.execMonitored(c.id, p, new ContainerRuntime.Monitored(stdio, console, status)).pid();
            } catch (RuntimeException e) {
                i.running = false;
                i.exitCode = 126;
                throw e instanceof berth.runtime.RuntimeError re ? new EngineException.Invalid(re.getMessage()) : e;
            }
            if (listener >= 0) i.master = ConsoleSocket.receiveMaster(sys, listener, dir);
            FileChannel stdinCh = stdin;
            if (withStdin) {
                Thread.ofVirtual().start(() -> pumpIn(in, stdinCh, i));
            }
            ExecOutput output = detach ? null : new ExecOutput(QUEUE_BYTES);
            CompletableFuture<Void> finished = new CompletableFuture<>();
            IoLoop.Session session = watch(i, dir, output, () -> {
                try {
                    finish(i, dir, status);
                } finally {
                    finished.complete(null);
                }
            });
            if (!detach) {
                output.drainTo(i.tty() ? StreamFraming.raw(out) : StreamFraming.multiplexed(out), session::resume);
                finished.join();
            }
        } finally {
            if (listener >= 0) sys.close(listener);
            if (stdin != null && detach) stdin.close();
        }
    }

    private Spec.Process process(Instance i) {
        Container c = i.container;
        Spec.Process base = runtime.loadSpec(c.id).process();
        List<String> args = new ArrayList<>();
        i.config.path("Cmd").forEach(a -> args.add(a.asText()));
        List<String> env = new ArrayList<>(base.env());
        for (JsonNode e : i.config.path("Env")) {
            String kv = e.asText();
            String key = kv.contains("=") ? kv.substring(0, kv.indexOf('=') + 1) : kv + "=";
            env.removeIf(x -> x.startsWith(key));
            env.add(kv);
        }
        String cwd = i.config.path("WorkingDir").asText("");
        if (cwd.isEmpty()) cwd = base.cwd();
        Spec.User user = base.user();
        String u = i.config.path("User").asText("");
        if (!u.isEmpty()) {
            Users.ResolvedUser r = Users.resolve(Path.of("/proc/" + c.state.pid + "/root"), u, List.of());
            user = new Spec.User(r.uid(), r.gid(), base.user().umask(), r.additionalGids());
        }
        return new Spec.Process(i.tty(), null, user, args, env, cwd, base.capabilities(), base.rlimits(),
                base.noNewPrivileges(), base.oomScoreAdj());
    }

    /**
     * Has the daemon's loop read the exec's pipes, and its terminal if it has one, into {@code output} (null: nobody
     * listens, the output is dropped) and run {@code onEnd} once the exec's monitor has exited.
     */
    private IoLoop.Session watch(Instance i, Path dir, ExecOutput output, Runnable onEnd) {
        boolean tty = i.master >= 0;
        // with a TTY the pipes carry nothing: they only tell when the monitor exits
        ByteSink out = output == null || tty ? ByteSink.DISCARD : output.sink(StdStream.STDOUT);
        ByteSink err = output == null || tty ? ByteSink.DISCARD : output.sink(StdStream.STDERR);
        IoLoop.Terminal terminal = tty ? new IoLoop.Terminal(sys.dup(i.master),
                output == null ? ByteSink.DISCARD : output.sink(StdStream.STDOUT), TERMINAL_GRACE) : null;
        return loop.watch(List.of(new IoLoop.Fifo(dir.resolve("stdout"), out), new IoLoop.Fifo(dir.resolve("stderr"), err)),
                terminal, onEnd);
    }

    /** The exec has ended: its exit code as its monitor recorded it, its terminal closed, its directory gone. */
    private void finish(Instance i, Path dir, Path status) {
        i.exitCode = Pipes.exitStatus(status);
        i.running = false;
        if (i.master >= 0) sys.close(i.master);
        i.master = -1;
        Tree.delete(dir);
    }

    public void resize(Instance i, int h, int w) {
        if (i.master >= 0 && h > 0 && w > 0) sys.setWindowSize(i.master, h, w);
    }

    private void pumpIn(InputStream in, FileChannel stdin, Instance i) {
        Pipes.copyInput(sys, in, () -> i.master, () -> stdin);
        try {
            stdin.close();
        } catch (IOException ignored) {
            // closed
        }
    }

    /** Forgets the instances of a removed container. */
    public void forget(Container c) {
        instances.values().removeIf(i -> i.container == c);
    }
}
