package berth.engine;

import berth.engine.spec.Signals;
import berth.runtime.ContainerRuntime;
import berth.runtime.RuntimeError;

import berth.image.snapshot.Tree;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The container lifecycle: start, stop, kill, wait, restart policies, removal, and re-adoption of the
 * containers that kept running while the daemon was down. A container's program runs under a detached
 * monitor (the executor's), which holds its output pipes and writes its exit status to {@code exit}; the
 * engine learns of the exit when the output pipes end, so a container that ended while the daemon was down
 * is found the same way as one that ends while it watches.
 */
public final class Containers {
    private static final String EXIT = "exit";
    private static final int SIGTERM = 15, SIGKILL = 9;

    private final ContainerStore store;
    private final ContainerRuntime runtime;
    private final RootFs rootfs;
    private final ContainerNetworking networking;
    private final ContainerIo io;
    private final ContainerSetup setup;
    private final Events events;
    private final Consumer<String> warn;
    private final Map<String, CompletableFuture<Integer>> exits = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Integer>> removals = new ConcurrentHashMap<>();
    private final Map<String, Instant> startedAt = new ConcurrentHashMap<>();

    public Containers(ContainerStore store, ContainerRuntime runtime, RootFs rootfs, ContainerNetworking networking,
                      ContainerIo io, ContainerSetup setup, Events events, Consumer<String> warn) {
        this.store = store;
        this.runtime = runtime;
        this.rootfs = rootfs;
        this.networking = networking;
        this.io = io;
        this.setup = setup;
        this.events = events;
        this.warn = warn;
    }

    public ContainerStore store() {
        return store;
    }

    // ---------------------------------------------------------------- start

    public void start(Container c) {
        synchronized (c) {
            if (c.state.running()) throw new EngineException.NotModified("container already started");
            if (c.state.status.equals("removing")) throw new EngineException.Conflict("container is marked for removal and cannot be started");
            c.manuallyStopped = false;
            startLocked(c);
        }
    }

    private void startLocked(Container c) {
        Path dir = store.dir(c.id);
        try {
            Files.deleteIfExists(dir.resolve(EXIT));
        } catch (IOException e) {
            throw new EngineException("start " + c.name + ": remove " + dir.resolve(EXIT) + ": " + e.getMessage(), e);
        }
        cleanupRuntime(c);
        Path root = rootfs.mount(c, dir);
        boolean netUp = false;
        try {
            networking.setUp(c);
            netUp = true;
            Path bundle = setup.bundle(c, dir, root, networking.namespacePath(c));
            ContainerRuntime.Monitored stdio = io.prepare(c, dir, dir.resolve(EXIT));
            ContainerRuntime.Started started = runtime.startMonitored(c.id, bundle, stdio);
            c.state.status = "running";
            c.state.pid = started.pid();
            c.state.monitorPid = started.monitorPid();
            c.state.exitCode = 0;
            c.state.error = "";
            c.state.oomKilled = false;
            c.state.restarting = false;
            c.state.startedAt = Json.time(Instant.now());
            c.state.finishedAt = Json.ZERO_TIME;
            c.hasBeenStarted = true;
            startedAt.put(c.id, Instant.now());
            store.save(c);
            exits.putIfAbsent(c.id, new CompletableFuture<>());
            io.follow(c, dir, () -> exited(c));
            events.publish("container", "start", c.id, attributes(c));
        } catch (RuntimeException e) {
            io.close(c);
            if (netUp) networking.tearDown(c);
            setup.release(c);
            rootfs.unmount(dir);
            c.state.error = message(e);
            c.state.exitCode = e instanceof RuntimeError ? 127 : 128;
            store.save(c);
            throw e instanceof RuntimeError re ? new EngineException.Invalid(re.getMessage()) : e;
        }
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** A runtime state directory left from an earlier run of the same container. */
    private void cleanupRuntime(Container c) {
        try {
            runtime.delete(c.id, true);
        } catch (RuntimeException e) {
            // none: the usual case
        }
    }

    // ---------------------------------------------------------------- exit

    /** The monitor is gone: read the status it left, clean up, and apply the restart policy. */
    private void exited(Container c) {
        Path dir = store.dir(c.id);
        int code = Pipes.exitStatus(dir.resolve(EXIT));
        boolean restart;
        CompletableFuture<Integer> done;
        synchronized (c) {
            if (!c.state.running() && !c.state.status.equals("removing")) return;
            cleanupRuntime(c);
            try {
                networking.tearDown(c);
            } catch (RuntimeException e) {
                warn.accept("container " + c.shortId() + ": network cleanup: " + e.getMessage());
            }
            setup.release(c);
            try {
                rootfs.unmount(dir);
            } catch (RuntimeException e) {
                warn.accept("container " + c.shortId() + ": unmount: " + e.getMessage());
            }
            c.state.pid = 0;
            c.state.monitorPid = 0;
            c.state.exitCode = code;
            c.state.finishedAt = Json.time(Instant.now());
            c.state.paused = false;
            RestartPolicy policy = RestartPolicy.of(c.hostConfig);
            restart = !c.state.status.equals("removing") && policy.restarts(code, c.manuallyStopped, c.restartCount)
                    && !c.hostConfig.path("AutoRemove").asBoolean(false);
            if (!c.state.status.equals("removing")) c.state.status = restart ? "restarting" : "exited";
            c.state.restarting = restart;
            store.save(c);
            done = exits.remove(c.id);
        }
        Map<String, String> attrs = attributes(c);
        attrs.put("exitCode", String.valueOf(code));
        events.publish("container", "die", c.id, attrs);
        if (done != null) done.complete(code);
        if (restart) {
            scheduleRestart(c);
        } else if (c.hostConfig.path("AutoRemove").asBoolean(false) && !c.state.status.equals("removing")) {
            try {
                remove(c, true, true);
            } catch (RuntimeException e) {
                warn.accept("container " + c.shortId() + ": auto-remove: " + e.getMessage());
            }
        }
    }

    private void scheduleRestart(Container c) {
        Instant began = startedAt.getOrDefault(c.id, Instant.now());
        Duration delay = RestartPolicy.delay(c.restartCount, Duration.between(began, Instant.now()));
        Thread.ofVirtual().name("restart-" + c.shortId()).start(() -> {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (c) {
                if (!c.state.status.equals("restarting") || c.manuallyStopped) return;
                c.restartCount++;
                try {
                    startLocked(c);
                    events.publish("container", "restart", c.id, attributes(c));
                } catch (RuntimeException e) {
                    c.state.status = "exited";
                    c.state.restarting = false;
                    store.save(c);
                    warn.accept("container " + c.shortId() + ": restart: " + e.getMessage());
                }
            }
        });
    }

    // ---------------------------------------------------------------- stop, kill, wait

    /** Sends the stop signal, then SIGKILL after {@code timeoutSeconds} (-1: the container's own or 10). */
    public void stop(Container c, int timeoutSeconds, String signal) {
        int sig;
        CompletableFuture<Integer> exit;
        synchronized (c) {
            if (c.state.status.equals("restarting")) {
                c.manuallyStopped = true;
                c.state.status = "exited";
                c.state.restarting = false;
                store.save(c);
                return;
            }
            if (!c.state.running()) throw new EngineException.NotModified("container already stopped");
            c.manuallyStopped = true;
            store.save(c);
            String s = signal != null && !signal.isEmpty() ? signal : c.config.path("StopSignal").asText("");
            sig = s.isEmpty() ? SIGTERM : Signals.parse(s);
            if (timeoutSeconds < 0) timeoutSeconds = c.config.path("StopTimeout").asInt(10);
            if (c.state.paused) resumeQuietly(c);
            exit = exits.computeIfAbsent(c.id, k -> new CompletableFuture<>());
        }
        signal(c, sig);
        if (!await(exit, timeoutSeconds)) {
            signal(c, SIGKILL);
            if (!await(exit, 30)) throw new EngineException("stop " + c.name + ": the container did not exit after SIGKILL");
        }
        events.publish("container", "stop", c.id, attributes(c));
    }

    /** Sends {@code signal} (SIGKILL by default); for SIGKILL it returns once the container has exited, as Docker's kill does. */
    public void kill(Container c, String signal) {
        int sig = signal == null || signal.isEmpty() ? SIGKILL : Signals.parse(signal);
        CompletableFuture<Integer> exit;
        synchronized (c) {
            if (!c.state.running()) throw new EngineException.Conflict("Container " + c.id + " is not running");
            if (sig == SIGKILL) c.manuallyStopped = true;
            store.save(c);
            exit = exits.computeIfAbsent(c.id, k -> new CompletableFuture<>());
        }
        Map<String, String> attrs = attributes(c);
        attrs.put("signal", String.valueOf(sig));
        events.publish("container", "kill", c.id, attrs);
        signal(c, sig);
        if (sig == SIGKILL && !await(exit, 10)) throw new EngineException("kill " + c.name + ": the container did not exit within 10 s of SIGKILL");
    }

    private void signal(Container c, int sig) {
        try {
            runtime.kill(c.id, sig, false);
        } catch (RuntimeException e) {
            // gone already: the exit is on its way
        }
    }

    private static boolean await(CompletableFuture<Integer> f, int seconds) {
        try {
            f.get(Math.max(seconds, 0), TimeUnit.SECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | java.util.concurrent.CancellationException e) {
            return true;
        }
    }

    public void restart(Container c, int timeoutSeconds) {
        try {
            stop(c, timeoutSeconds, null);
        } catch (EngineException.NotModified e) {
            // not running: just start it
        }
        start(c);
        events.publish("container", "restart", c.id, attributes(c));
    }

    /**
     * Docker's wait conditions: {@code not-running} (at once for a stopped container), {@code next-exit} (the
     * next exit even of a stopped container), {@code removed}.
     */
    public CompletableFuture<Integer> waitFor(Container c, String condition) {
        synchronized (c) {
            return switch (condition == null || condition.isEmpty() ? "not-running" : condition) {
                case "next-exit" -> exits.computeIfAbsent(c.id, k -> new CompletableFuture<>());
                case "removed" -> removals.computeIfAbsent(c.id, k -> new CompletableFuture<>());
                case "not-running" -> c.state.running() || c.state.status.equals("restarting")
                        ? exits.computeIfAbsent(c.id, k -> new CompletableFuture<>())
                        : CompletableFuture.completedFuture(c.state.exitCode);
                default -> throw new EngineException.Invalid("invalid condition: \"" + condition + "\"");
            };
        }
    }

    public void pause(Container c) {
        synchronized (c) {
            if (!c.state.running()) throw new EngineException.Conflict("Container " + c.id + " is not running");
            if (c.state.paused) throw new EngineException.Conflict("Container " + c.id + " is already paused");
            runtime.pause(c.id);
            c.state.paused = true;
            c.state.status = "paused";
            store.save(c);
        }
        events.publish("container", "pause", c.id, attributes(c));
    }

    public void unpause(Container c) {
        synchronized (c) {
            if (!c.state.paused) throw new EngineException.Conflict("Container " + c.id + " is not paused");
            runtime.resume(c.id);
            c.state.paused = false;
            c.state.status = "running";
            store.save(c);
        }
        events.publish("container", "unpause", c.id, attributes(c));
    }

    private void resumeQuietly(Container c) {
        try {
            runtime.resume(c.id);
            c.state.paused = false;
            c.state.status = "running";
        } catch (RuntimeException e) {
            warn.accept("container " + c.shortId() + ": resume before stop: " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- remove

    /** {@code rm}: a running container only with {@code force} (killed first); {@code volumes} removes its anonymous volumes. */
    public void remove(Container c, boolean force, boolean volumes) {
        CompletableFuture<Integer> exit;
        synchronized (c) {
            if (c.state.status.equals("removing") && !c.hostConfig.path("AutoRemove").asBoolean(false)) {
                throw new EngineException.Conflict("removal of container " + c.id + " is already in progress");
            }
            if (c.state.running() && !force) {
                throw new EngineException.Conflict("You cannot remove a " + (c.state.paused ? "paused" : "running")
                        + " container " + c.id + ". Stop the container before attempting removal or force remove");
            }
            exit = c.state.running() ? exits.computeIfAbsent(c.id, k -> new CompletableFuture<>()) : null;
            c.manuallyStopped = true;
            c.state.status = "removing";
            if (c.state.paused) resumeQuietly(c);
        }
        if (exit != null) {
            signal(c, SIGKILL);
            if (!await(exit, 30)) throw new EngineException("remove " + c.name + ": the container did not exit after SIGKILL");
        }
        synchronized (c) {
            Path dir = store.dir(c.id);
            io.close(c);
            cleanupRuntime(c);
            networking.tearDown(c);
            rootfs.unmount(dir);
            setup.removeVolumes(c, volumes);
            store.remove(c);
            try {
                Tree.delete(dir);
            } catch (RuntimeException e) {
                warn.accept("container " + c.shortId() + ": remove " + dir + ": " + e.getMessage());
            }
        }
        events.publish("container", "destroy", c.id, attributes(c));
        CompletableFuture<Integer> removed = removals.remove(c.id);
        if (removed != null) removed.complete(c.state.exitCode);
    }

    // ---------------------------------------------------------------- daemon start

    /**
     * Re-adopts what the last daemon left: a container whose monitor still runs is followed again (its
     * output waited in the pipes); one that ended meanwhile (or whose monitor is gone, after a reboot) gets its
     * exit handled now, status from the file its monitor wrote, restart policy included; one that was waiting
     * to restart starts.
     */
    public void restore() {
        for (Container c : store.all()) {
            try {
                synchronized (c) {
                    if (c.state.status.equals("removing")) {
                        c.state.status = "exited";
                        store.save(c);
                    }
                    if (c.state.running()) {
                        exits.putIfAbsent(c.id, new CompletableFuture<>());
                        startedAt.put(c.id, Instant.now());
                        if (c.tty()) adoptTerminal(c);
                        io.follow(c, store.dir(c.id), () -> exited(c));
                        continue;
                    }
                }
                if (c.state.status.equals("restarting") && !c.manuallyStopped) start(c);
            } catch (RuntimeException e) {
                warn.accept("restore container " + c.shortId() + ": " + e.getMessage());
            }
        }
        networking.resume();
    }

    /**
     * Takes over the terminal of a TTY container that the last daemon left running. Without it the container
     * still runs and its exit is still seen; only its output, input and resizing are cut off.
     */
    private void adoptTerminal(Container c) {
        try {
            io.adoptTerminal(c, store.dir(c.id));
        } catch (RuntimeException e) {
            warn.accept("container " + c.shortId() + ": take over its terminal: " + message(e));
        }
    }

    static Map<String, String> attributes(Container c) {
        Map<String, String> a = new java.util.TreeMap<>();
        c.config.path("Labels").properties().forEach(e -> a.put(e.getKey(), e.getValue().asText()));
        a.put("image", c.imageName);
        a.put("name", c.name);
        return a;
    }
}
