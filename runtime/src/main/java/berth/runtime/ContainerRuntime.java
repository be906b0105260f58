package berth.runtime;

import berth.cgroups.CgroupException;
import berth.cgroups.CgroupManager;
import berth.cgroups.Cgroups;
import berth.cgroups.Resources;
import berth.runtime.plan.HostFacts;
import berth.runtime.plan.Monitor;
import berth.runtime.plan.Namespaces;
import berth.runtime.plan.Plan;
import berth.runtime.plan.PlanCompiler;
import berth.runtime.json.InvalidSpecException;
import berth.runtime.spec.Spec;
import berth.runtime.spec.SpecParser;
import berth.runtime.spec.SpecValidator;
import berth.sys.SysException;
import berth.sys.Syscalls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The OCI lifecycle over a state directory ({@code --root}): create, start, state, kill, delete, plus run
 * and exec. One instance per command invocation; all state lives on disk, so any process can pick up where
 * another left off.
 */
public final class ContainerRuntime {
    private static final String STATE = "state.json", CONFIG = "config.json", FIFO = "exec.fifo";

    private final Syscalls sys;
    private final Path root;
    private final Launcher launcher;
    private final PlanCompiler compiler;
    private final HookRunner hooks;
    private final Supplier<HostFacts> host;
    private final Path cgroupRoot;
    private final Consumer<String> warn;

    /** Options of create and run, as runc names them. */
    public record CreateOptions(Path pidFile, String consoleSocket, boolean noPivot, int preserveFds) {
        public static final CreateOptions DEFAULT = new CreateOptions(null, null, false, 0);
    }

    /** Options of exec. */
    public record ExecOptions(Path pidFile, String consoleSocket, boolean detach, int preserveFds) {}

    /**
     * How a daemon wires a container or exec process that a detached monitor watches (see
     * {@link #startMonitored}).
     *
     * @param stdio         the process's descriptors 0, 1 and 2, each to its source: {@link #open} a path, or
     *                      "jN" for this process's descriptor N; one not given is /dev/null
     * @param consoleSocket the unix socket that receives the terminal's master when process.terminal is set
     *                      (stdio is then the terminal), or null
     * @param statusFile    where the monitor writes the exit status (decimal, 128 + signal for a signal, and
     *                      a newline) once the process has exited, or null for nowhere
     */
    public record Monitored(Map<Integer, String> stdio, String consoleSocket, Path statusFile) {
        public Monitored {
            Map<Integer, String> all = new LinkedHashMap<>(Map.of(0, open("r", DEV_NULL), 1, open("w", DEV_NULL),
                    2, open("w", DEV_NULL)));
            stdio.forEach((fd, source) -> {
                if (!all.containsKey(fd)) throw new IllegalArgumentException("stdio: descriptor " + fd + " is not 0, 1 or 2");
                all.put(fd, source);
            });
            stdio = Map.copyOf(all);
        }

        private static final Path DEV_NULL = Path.of("/dev/null");

        /**
         * The source "oMODE:PATH": the executor opens {@code path} with {@code mode} r, w or rw, without
         * blocking on a FIFO (w on a FIFO fails unless it has a reader; r on a FIFO reads end of file until a
         * writer opens it, so open the writing end first). A FIFO opened rw gets a 1 MiB buffer, and the
         * monitor's copy keeps it open for writing: the process never gets EPIPE while nobody reads, and
         * what it wrote waits in the FIFO; the monitor exits only once that has been read.
         */
        public static String open(String mode, Path path) {
            if (!List.of("r", "w", "rw").contains(mode)) throw new IllegalArgumentException("open mode " + mode + ": use r, w or rw");
            return "o" + mode + ":" + path.toAbsolutePath();
        }
    }

    /**
     * A process that a detached monitor watches, as {@link #startMonitored} and {@link #execMonitored} return it.
     *
     * @param pid        the process
     * @param monitorPid its monitor (the executor's parent side): it holds the process's stdout and stderr and,
     *                   with a terminal, the master at descriptor 3 (see executor.c), for a daemon that comes
     *                   back to take over
     */
    public record Started(int pid, int monitorPid) {}

    /**
     * @param cgroupRoot a cgroup2 mount to place containers in instead of the host's default hierarchy
     *                   (berth-runtime's --cgroup-root), or null
     * @param warn       where warnings go (failed poststart/poststop hooks, cleanup that did not finish)
     */
    public ContainerRuntime(Syscalls sys, Path root, Launcher launcher, PlanCompiler compiler, Supplier<HostFacts> host,
                            Path cgroupRoot, Consumer<String> warn) {
        this.sys = sys;
        this.cgroupRoot = cgroupRoot;
        this.warn = warn;
        this.root = root;
        this.launcher = launcher;
        this.compiler = compiler;
        this.hooks = new HookRunner(launcher, compiler, warn);
        this.host = host;
    }

    public Path root() {
        return root;
    }

    // ---------------------------------------------------------------- create

    /** Creates the container; its process waits for {@link #start} before it runs the user's program. */
    public void create(String id, Path bundle, CreateOptions opts) {
        launcher.release(createKeepingSync(id, bundle, opts, CONSOLE_SOCKET_REQUIRED, true, Monitor.NONE,
                passedFds(opts.preserveFds())).launched());
    }

    private static final String CONSOLE_SOCKET_REQUIRED = "process.terminal is true: --console-socket is required",
            CONSOLE_SOCKET_MISSING = "process.terminal is true: a console socket is required";

    /** A created container; {@code console} is the terminal we hold for it, or null. */
    private record Creation(State state, Spec spec, Plan plan, Launcher.Launched launched, Console console) {}

    /**
     * Creates the container and returns once its process is ready. With {@code withFifo} it waits on the
     * exec fifo for {@code start} from any process; without, it waits for "go" on the sync socket, which
     * only the caller holds ({@code run}).
     *
     * @param noConsoleSocket what to say when the process wants a terminal and no --console-socket was
     *                        given; null to make a console of our own (foreground run)
     * @param fds             the container's descriptors for the executor (see {@link Launcher#launch})
     */
    private Creation createKeepingSync(String id, Path bundle, CreateOptions opts, String noConsoleSocket, boolean withFifo,
                                       Monitor monitor, Map<Integer, String> fds) {
        checkId(id);
        Path dir = root.resolve(id);
        try {
            Files.createDirectories(root);
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            throw new RuntimeError("container \"" + id + "\" already exists");
        } catch (IOException e) {
            throw new RuntimeError("create state directory " + dir + ": " + e.getMessage(), e);
        }
        int[] pid = {-1};
        CgroupManager[] cgroup = {null};
        Console[] ownConsole = {null};
        Launcher.Launched[] launched = {null};
        try {
            bundle = bundle.toAbsolutePath().normalize();
            Path configFile = bundle.resolve(CONFIG);
            if (!Files.isRegularFile(configFile)) throw new RuntimeError("bundle " + bundle + " has no config.json");
            byte[] configBytes = Files.readAllBytes(configFile);
            Spec spec = SpecParser.parse(Json.parse(configBytes, configFile.toString()));
            Trace.mark("create: config parsed");
            Path rootfs = bundle.resolve(spec.root().path()).normalize();
            SpecValidator.validate(spec, rootfs);
            if (spec.process().terminal() && opts.consoleSocket() == null) {
                if (noConsoleSocket != null) throw new InvalidSpecException(noConsoleSocket);
                ownConsole[0] = new Console(sys, root);
            }
            Files.write(dir.resolve(CONFIG), configBytes);
            Resources resources;
            try {
                resources = Resources.fromOci(spec.linux().resources()).withDeviceRules(allowedDevices(spec));
            } catch (IllegalArgumentException e) {
                throw new InvalidSpecException(e.getMessage());
            }
            Map<String, String> cgroupPaths = cgroups(cgroupRoot).paths(spec.linux().cgroupsPath(), id);
            cgroup[0] = cgroups(cgroupRoot).manager(cgroupPaths, this::attachDeviceFilter);
            Path fifo = withFifo ? dir.resolve(FIFO) : null;
            String console = ownConsole[0] != null ? ownConsole[0].path()
                    : opts.consoleSocket() == null ? null : Path.of(opts.consoleSocket()).toAbsolutePath().toString();
            boolean createHooks = !(spec.hooks().prestart().isEmpty() && spec.hooks().createRuntime().isEmpty()
                    && spec.hooks().createContainer().isEmpty());
            var ctx = new PlanCompiler.CreateContext(rootfs, bundle, fifo, console, 3 + opts.preserveFds(), opts.noPivot(),
                    createHooks, monitor, cgroup[0].directories(), host.get());
            Plan plan = compiler.create(spec, ctx);
            Trace.mark("create: plan compiled");
            String created = Timestamps.now();
            String owner = "root";
            Path bundleDir = bundle;
            launched[0] = launcher.launch(plan, fds, new Launcher.Events() {
                @Override
                public void onPid(int p) {
                    pid[0] = p;
                    // the process joins its cgroup before it can run anything of the container's
                    cgroup[0].create(resources);
                    cgroup[0].join(p);
                    setupFromOutside(spec, p);
                }

                @Override
                public void onSync(String tag, int p) {
                    State s = new State(id, p, Procfs.startTime(p), bundleDir.toString(), rootfs.toString(), created,
                            owner, spec.annotations(), namespacePaths(spec, p), null, Map.of());
                    String json = Json.write(s.toOci(State.Status.CREATING), false);
                    hooks.runOnHost("prestart", spec.hooks().prestart(), json);
                    hooks.runOnHost("createRuntime", spec.hooks().createRuntime(), json);
                    hooks.runInContainer("createContainer", spec.hooks().createContainer(), json, s.namespaces());
                }
            });
            Trace.mark("create: container ready");
            int containerPid = launched[0].pid();
            State state = new State(id, containerPid, Procfs.startTime(containerPid), bundle.toString(),
                    rootfs.toString(), created, owner, spec.annotations(), namespacePaths(spec, containerPid),
                    cgroupRoot == null ? null : cgroupRoot.toString(), cgroupPaths);
            Json.writeAtomically(dir.resolve(STATE), Json.write(state.toJson(), false), false);
            if (opts.pidFile() != null) Json.writeAtomically(opts.pidFile().toAbsolutePath(), String.valueOf(containerPid), false);
            return new Creation(state, spec, plan, launched[0], ownConsole[0]);
        } catch (IOException | CgroupException e) {
            cleanupFailedCreate(dir, pid[0], launched[0], cgroup[0], ownConsole[0]);
            throw new RuntimeError(e.getMessage(), e);
        } catch (RuntimeException e) {
            cleanupFailedCreate(dir, pid[0], launched[0], cgroup[0], ownConsole[0]);
            throw e;
        }
    }

    /**
     * The device rules every container gets after its configured ones (runc's allowed devices): mknod of
     * any node, the default devices, the terminal devices, /dev/net/tun, and the configured devices.
     */
    private static List<Resources.DeviceRule> allowedDevices(Spec spec) {
        List<Resources.DeviceRule> rules = new ArrayList<>(List.of(
                new Resources.DeviceRule(true, "c", null, null, "m"), new Resources.DeviceRule(true, "b", null, null, "m"),
                new Resources.DeviceRule(true, "c", 1L, 3L, "rwm"), new Resources.DeviceRule(true, "c", 1L, 8L, "rwm"),
                new Resources.DeviceRule(true, "c", 1L, 7L, "rwm"), new Resources.DeviceRule(true, "c", 5L, 0L, "rwm"),
                new Resources.DeviceRule(true, "c", 1L, 5L, "rwm"), new Resources.DeviceRule(true, "c", 1L, 9L, "rwm"),
                new Resources.DeviceRule(true, "c", 5L, 1L, "rwm"), new Resources.DeviceRule(true, "c", 136L, null, "rwm"),
                new Resources.DeviceRule(true, "c", 5L, 2L, "rwm"), new Resources.DeviceRule(true, "c", 10L, 200L, "rwm")));
        for (var d : spec.linux().devices()) {
            if (!d.type().equals("p")) rules.add(new Resources.DeviceRule(true, d.type().equals("u") ? "c" : d.type(), d.major(), d.minor(), "rwm"));
        }
        return rules;
    }

    /** Id maps and OOM score: what the parent sets up before the process may go on. */
    private void setupFromOutside(Spec spec, int pid) {
        var linux = spec.linux();
        if (linux.createsNamespace("user")) {
            sys.writeFile("/proc/" + pid + "/uid_map", idMap(linux.uidMappings()));
            sys.writeFile("/proc/" + pid + "/gid_map", idMap(linux.gidMappings()));
        }
        Integer oom = spec.process().oomScoreAdj();
        if (oom != null) sys.writeFile("/proc/" + pid + "/oom_score_adj", String.valueOf(oom));
    }

    private static String idMap(List<Spec.IdMapping> maps) {
        StringBuilder sb = new StringBuilder();
        for (var m : maps) sb.append(m.containerId()).append(' ').append(m.hostId()).append(' ').append(m.size()).append('\n');
        return sb.toString();
    }

    /** Where each of the container's namespaces can be joined: type -> path. */
    private static Map<String, String> namespacePaths(Spec spec, int pid) {
        Map<String, String> paths = new LinkedHashMap<>();
        for (var n : spec.linux().namespaces()) {
            paths.put(n.type(), "/proc/" + pid + "/ns/" + Namespaces.procName(n.type()));
        }
        return paths;
    }

    /** stdio and preserved descriptors, taken from this process by the executor: child fd -> "jN". */
    private static Map<Integer, String> passedFds(int preserveFds) {
        Map<Integer, String> fds = new LinkedHashMap<>();
        for (int i = 0; i < 3 + preserveFds; i++) fds.put(i, "j" + i);
        return fds;
    }

    private void cleanupFailedCreate(Path dir, int pid, Launcher.Launched launched, CgroupManager cgroup, Console console) {
        if (console != null) console.close();
        if (launched != null) launcher.abandon(launched);
        if (pid > 0) {
            try {
                sys.kill(pid, 9);
            } catch (SysException ignored) {
                // already gone
            }
            awaitGone(pid, Procfs.startTime(pid));
        }
        if (cgroup != null) {
            try {
                cgroup.destroy(this::killQuietly);
            } catch (CgroupException e) {
                warn.accept(e.getMessage());
            }
        }
        deleteTree(dir);
    }

    // ---------------------------------------------------------------- start

    public void start(String id) {
        State s = load(id);
        State.Status status = status(s);
        switch (status) {
            case CREATED -> { }
            case STOPPED -> throw new RuntimeError("cannot start a container that has stopped");
            case RUNNING -> throw new RuntimeError("cannot start an already running container");
            default -> throw new RuntimeError("cannot start a container in the " + status.text() + " state");
        }
        Spec spec = loadSpec(id);
        hooks.runInContainer("startContainer", spec.hooks().startContainer(),
                Json.write(s.toOci(State.Status.CREATED), false), joinable(s, spec));
        releaseFifo(s);
        Trace.mark("start: released");
        hooks.runWarning("poststart", spec.hooks().poststart(), Json.write(s.toOci(State.Status.RUNNING), false));
    }

    /** Opens the exec fifo: the container's process, blocked on the other end, goes on to exec. */
    private void releaseFifo(State s) {
        Path fifo = root.resolve(s.id()).resolve(FIFO);
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                return in.read();
            } catch (IOException e) {
                throw new RuntimeError("open " + fifo + ": " + e.getMessage(), e);
            }
        }, r -> Thread.ofVirtual().start(r));
        while (true) {
            try {
                int b = read.get(20, TimeUnit.MILLISECONDS);
                if (b < 0) throw new RuntimeError("the container's process exited before it was started");
                break;
            } catch (java.util.concurrent.TimeoutException e) {
                if (Procfs.startTime(s.pid()) != s.startTime()) {
                    throw new RuntimeError("the container's process exited before it was started");
                }
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new RuntimeError(e.getCause().toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RuntimeError("interrupted while starting the container");
            }
        }
        try {
            Files.deleteIfExists(fifo);
        } catch (IOException e) {
            throw new RuntimeError("remove " + fifo + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- state, list, ps

    public Map<String, Object> state(String id) {
        State s = load(id);
        Map<String, Object> m = s.toOci(status(s));
        m.put("rootfs", s.rootfs());
        m.put("created", s.created());
        m.put("owner", s.owner());
        return m;
    }

    public List<Map<String, Object>> list() {
        if (!Files.isDirectory(root)) return List.of();
        List<Map<String, Object>> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path d : dirs.sorted().toList()) {
                if (!Files.isRegularFile(d.resolve(STATE))) continue;
                out.add(state(d.getFileName().toString()));
            }
        } catch (IOException e) {
            throw new RuntimeError("list " + root + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** The pids of the container's processes (host pid namespace). */
    public List<Integer> pids(String id) {
        return pids(load(id), loadSpec(id));
    }

    private List<Integer> pids(State s, Spec spec) {
        CgroupManager cgroup = cgroup(s);
        if (cgroup != null && cgroup.exists()) {
            try {
                return cgroup.pids().stream().sorted().toList();
            } catch (CgroupException e) {
                throw new RuntimeError(e.getMessage(), e);
            }
        }
        if (status(s) == State.Status.STOPPED) return List.of();
        if (spec.linux().createsNamespace("pid")) {
            String ns = Procfs.namespaceId(String.valueOf(s.pid()), "pid");
            if (ns != null) return Procfs.pidsInNamespace(ns);
        }
        return List.of(s.pid());
    }

    // ---------------------------------------------------------------- kill, delete

    public void kill(String id, int signal, boolean all) {
        State s = load(id);
        State.Status status = status(s);
        if (status == State.Status.STOPPED) throw new RuntimeError("container not running");
        List<Integer> targets = all ? pids(id) : List.of(s.pid());
        for (int pid : targets) {
            try {
                sys.kill(pid, signal);
            } catch (SysException e) {
                if (e.errno() != berth.sys.Errno.ESRCH) throw new RuntimeError("kill " + pid + ": " + berth.sys.Errno.describe(e.errno()));
            }
        }
    }

    public void delete(String id, boolean force) {
        Path dir = root.resolve(checkId(id));
        if (!Files.isRegularFile(dir.resolve(STATE))) {
            if (force && Files.isDirectory(dir)) {
                deleteTree(dir);
                return;
            }
            throw new RuntimeError("container \"" + id + "\" does not exist");
        }
        delete(load(id), loadSpec(id), force);
    }

    private void delete(State s, Spec spec, boolean force) {
        State.Status status = status(s);
        if ((status == State.Status.RUNNING || status == State.Status.PAUSED) && !force) {
            throw new RuntimeError("cannot delete container " + s.id() + " that is not stopped: " + status.text());
        }
        if (status == State.Status.PAUSED) cgroupCall(() -> cgroup(s).thaw()); // frozen processes cannot die
        if (status != State.Status.STOPPED) {
            List<Integer> all = spec.linux().createsNamespace("pid") ? List.of(s.pid()) : pids(s, spec);
            for (int pid : all) {
                try {
                    sys.kill(pid, 9);
                } catch (SysException ignored) {
                    // gone meanwhile
                }
            }
            awaitGone(s.pid(), s.startTime());
        }
        CgroupManager cgroup = cgroup(s);
        if (cgroup != null) cgroupCall(() -> cgroup.destroy(this::killQuietly));
        hooks.runWarning("poststop", spec.hooks().poststop(), Json.write(s.toOci(State.Status.STOPPED), false));
        deleteTree(root.resolve(s.id()));
    }

    // ---------------------------------------------------------------- run, exec

    /**
     * create + start; in the foreground, wait for the container, then delete it and return its exit status.
     * Signals sent to this process are forwarded to the container.
     */
    public int run(String id, Path bundle, CreateOptions opts, boolean detach, boolean keep) {
        // Detached, the container waits on the exec fifo like after create: nothing of ours stays to
        // release it otherwise. In the foreground the executor monitors it and "go" releases it.
        Creation c = createKeepingSync(id, bundle, opts, detach ? CONSOLE_SOCKET_REQUIRED + " with --detach" : null,
                detach, detach ? Monitor.NONE : Monitor.FOREGROUND, passedFds(opts.preserveFds()));
        Console console = c.console();
        State s = c.state();
        Spec spec = c.spec();
        try {
            if (console != null) console.attach();
            if (!spec.hooks().startContainer().isEmpty()) {
                hooks.runInContainer("startContainer", spec.hooks().startContainer(),
                        Json.write(s.toOci(State.Status.CREATED), false), joinable(s, spec));
            }
            if (detach) {
                launcher.release(c.launched());
                releaseFifo(s);
            } else {
                launcher.go(c.launched());
            }
            Trace.mark("run: started");
            if (!spec.hooks().poststart().isEmpty()) {
                hooks.runWarning("poststart", spec.hooks().poststart(), Json.write(s.toOci(State.Status.RUNNING), false));
            }
        } catch (RuntimeException e) {
            launcher.release(c.launched());
            if (console != null) console.close();
            deleteQuietly(s, spec);
            throw e;
        }
        if (detach) return 0;
        return waitForeground(c.plan(), c.launched(), console, () -> {
            if (!keep) deleteQuietly(s, spec);
        });
    }

    /** Runs a new process in the container; in the foreground, returns its exit status. */
    public int exec(String id, Spec.Process process, ExecOptions opts) {
        State s = loadForExec(id);
        Spec spec = loadSpec(id);
        Console console = null;
        String consoleSocket = null;
        if (process.terminal()) {
            if (opts.consoleSocket() != null) {
                consoleSocket = Path.of(opts.consoleSocket()).toAbsolutePath().toString();
            } else if (opts.detach()) {
                throw new RuntimeError("exec -t: --console-socket is required with --detach");
            } else {
                console = new Console(sys, root);
                consoleSocket = console.path();
            }
        }
        var ctx = new PlanCompiler.ExecContext(joinable(s, spec), spec.linux().namespace("user").isPresent(),
                consoleSocket, 3 + opts.preserveFds(), opts.detach() ? Monitor.NONE : Monitor.FOREGROUND);
        Plan plan = compiler.exec(process, spec.linux(), ctx);
        Launcher.Launched launched;
        try {
            launched = launchInto(s, plan, passedFds(opts.preserveFds()));
            if (console != null) console.attach();
        } catch (RuntimeException e) {
            if (console != null) console.close();
            throw e;
        }
        if (opts.pidFile() != null) Json.writeAtomically(opts.pidFile().toAbsolutePath(), String.valueOf(launched.pid()), false);
        if (opts.detach()) {
            launcher.release(launched);
            return 0;
        }
        return waitForeground(plan, launched, console, () -> { });
    }

    private State loadForExec(String id) {
        State s = load(id);
        State.Status status = status(s);
        if (status != State.Status.RUNNING && status != State.Status.CREATED) {
            throw new RuntimeError("cannot exec in a " + status.text() + " container");
        }
        return s;
    }

    /** Launches an exec plan; the new process joins the container's cgroup before it runs anything. */
    private Launcher.Launched launchInto(State s, Plan plan, Map<Integer, String> fds) {
        CgroupManager cgroup = cgroup(s);
        return launcher.launch(plan, fds, new Launcher.Events() {
            @Override
            public void onPid(int pid) {
                if (cgroup != null) cgroup.join(pid);
            }
        });
    }

    /**
     * Waits for a foreground container or exec: the executor stayed its parent and exits with its status.
     * Signals sent to us go to the executor, which passes them on.
     */
    private int waitForeground(Plan plan, Launcher.Launched launched, Console console, Runnable after) {
        var forwarder = new SignalForwarder(sys, (int) launched.executor().pid(), console);
        try {
            RuntimeError failure = launcher.awaitExec(plan, launched);
            int status = launched.executor().waitFor();
            Trace.mark("run: container exited");
            if (console != null) console.drain();
            if (failure != null) throw failure;
            return status;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeError("interrupted while waiting for the container");
        } finally {
            forwarder.close();
            if (console != null) console.close();
            after.run();
        }
    }

    /** The container's namespaces that differ from ours, as type -> /proc path of its init. */
    private static Map<String, String> joinable(State s, Spec spec) {
        Map<String, String> out = new HashMap<>();
        for (var n : spec.linux().namespaces()) {
            String proc = Namespaces.procName(n.type());
            String theirs = Procfs.namespaceId(String.valueOf(s.pid()), proc);
            if (theirs != null && !theirs.equals(Procfs.namespaceId("self", proc))) {
                out.put(n.type(), "/proc/" + s.pid() + "/ns/" + proc);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- monitored: a daemon's processes

    /**
     * create + start in one step, with a detached monitor that outlives this process (see
     * {@link Monitored}). Returns the container's and its monitor's pids once its program is executing. A failure before that
     * (executable not found, bad cwd, ...) is thrown as the executor reported it, and nothing is left
     * behind: no state, cgroup, process or status file. Hooks run as for {@code run}.
     */
    public Started startMonitored(String id, Path bundle, Monitored opts) {
        requireNoStatus(opts.statusFile());
        Creation c;
        try {
            c = createKeepingSync(id, bundle, new CreateOptions(null, opts.consoleSocket(), false, 0),
                    CONSOLE_SOCKET_MISSING, false, Monitor.detached(opts.statusFile()), opts.stdio());
        } catch (RuntimeException e) {
            discardStatus(opts.statusFile());
            throw e;
        }
        State s = c.state();
        Spec spec = c.spec();
        try {
            if (!spec.hooks().startContainer().isEmpty()) {
                hooks.runInContainer("startContainer", spec.hooks().startContainer(),
                        Json.write(s.toOci(State.Status.CREATED), false), joinable(s, spec));
            }
            launcher.go(c.launched());
            RuntimeError failure = launcher.awaitExec(c.plan(), c.launched());
            if (failure != null) throw failure;
        } catch (RuntimeException e) {
            launcher.abandon(c.launched());
            discardStatus(opts.statusFile());
            deleteQuietly(s, spec);
            throw e;
        }
        if (!spec.hooks().poststart().isEmpty()) {
            hooks.runWarning("poststart", spec.hooks().poststart(), Json.write(s.toOci(State.Status.RUNNING), false));
        }
        return new Started(s.pid(), (int) c.launched().executor().pid());
    }

    /**
     * Runs a new process in the container with a detached monitor, as {@link #startMonitored} does; returns
     * its and its monitor's pids once it is executing. Its exit status goes to {@code opts.statusFile()}.
     */
    public Started execMonitored(String id, Spec.Process process, Monitored opts) {
        State s = loadForExec(id);
        Spec spec = loadSpec(id);
        if (process.terminal() && opts.consoleSocket() == null) throw new RuntimeError(CONSOLE_SOCKET_MISSING);
        requireNoStatus(opts.statusFile());
        var ctx = new PlanCompiler.ExecContext(joinable(s, spec), spec.linux().namespace("user").isPresent(),
                absolute(opts.consoleSocket()), 3, Monitor.detached(opts.statusFile()));
        Plan plan = compiler.exec(process, spec.linux(), ctx);
        Launcher.Launched launched;
        try {
            launched = launchInto(s, plan, opts.stdio());
        } catch (RuntimeException e) {
            discardStatus(opts.statusFile());
            throw e;
        }
        RuntimeError failure = launcher.awaitExec(plan, launched);
        if (failure != null) {
            launcher.abandon(launched);
            discardStatus(opts.statusFile());
            throw failure;
        }
        return new Started(launched.pid(), (int) launched.executor().pid());
    }

    private static String absolute(String socket) {
        return socket == null ? null : Path.of(socket).toAbsolutePath().toString();
    }

    /** A status file from an earlier process would read as this one's: the caller removes it first. */
    private static void requireNoStatus(Path statusFile) {
        if (statusFile != null && Files.exists(statusFile)) {
            throw new RuntimeError("status file " + statusFile + " already exists: remove the previous process's first");
        }
    }

    /**
     * Removes what a monitor that was killed after a failure may have written: the status file and its
     * temporary file. One that cannot be removed is a warning; the failure is what the caller reports.
     */
    private void discardStatus(Path statusFile) {
        if (statusFile == null) return;
        for (Path p : List.of(statusFile, statusFile.resolveSibling(statusFile.getFileName() + ".tmp"))) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                warn.accept("remove " + p + ": " + e.getMessage());
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    public State.Status status(State s) {
        if (Procfs.startTime(s.pid()) != s.startTime()) return State.Status.STOPPED;
        if (Files.exists(root.resolve(s.id()).resolve(FIFO))) return State.Status.CREATED;
        CgroupManager cgroup = cgroup(s);
        if (cgroup != null && cgroup.frozen()) return State.Status.PAUSED;
        return State.Status.RUNNING;
    }

    // ---------------------------------------------------------------- cgroups: pause, resume, update, stats

    private Cgroups detected;

    private Cgroups cgroups(Path cgroupRoot) {
        if (detected == null || !java.util.Objects.equals(detected.v2Root(), cgroupRoot) && cgroupRoot != null) {
            detected = Cgroups.detect(cgroupRoot);
        }
        return detected;
    }

    /** The container's cgroup as create placed it, or null for state without one. */
    private CgroupManager cgroup(State s) {
        if (s.cgroupPaths().isEmpty()) return null;
        try {
            return cgroups(s.cgroupRoot() == null ? null : Path.of(s.cgroupRoot())).manager(s.cgroupPaths(), this::attachDeviceFilter);
        } catch (CgroupException e) {
            throw new RuntimeError(e.getMessage(), e);
        }
    }

    private CgroupManager requireCgroup(String id) {
        State s = load(id);
        CgroupManager c = cgroup(s);
        if (c == null || !c.exists()) throw new RuntimeError("container " + id + " has no cgroup");
        return c;
    }

    public void pause(String id) {
        State s = load(id);
        State.Status status = status(s);
        if (status != State.Status.RUNNING && status != State.Status.CREATED) {
            throw new RuntimeError("cannot pause a container that is " + status.text());
        }
        cgroupCall(() -> requireCgroup(id).freeze());
    }

    public void resume(String id) {
        State s = load(id);
        if (status(s) != State.Status.PAUSED) throw new RuntimeError("container " + id + " is not paused");
        cgroupCall(() -> requireCgroup(id).thaw());
    }

    /** Changes the limits of a running container (OCI linux.resources JSON shape). */
    public void update(String id, Map<String, Object> resources) {
        State s = load(id);
        if (status(s) == State.Status.STOPPED) throw new RuntimeError("container " + id + " is not running");
        Resources r;
        try {
            r = Resources.fromOci(resources);
        } catch (IllegalArgumentException e) {
            throw new RuntimeError(e.getMessage());
        }
        cgroupCall(() -> requireCgroup(id).apply(r));
    }

    /** Usage figures in runc's events --stats shape. */
    public Map<String, Object> stats(String id) {
        Map<String, Object>[] out = new Map[1];
        cgroupCall(() -> out[0] = requireCgroup(id).stats());
        return out[0];
    }

    /** How often the OOM killer struck in the container. */
    public long oomKills(String id) {
        long[] out = new long[1];
        cgroupCall(() -> out[0] = requireCgroup(id).oomKills());
        return out[0];
    }

    private static void cgroupCall(Runnable r) {
        try {
            r.run();
        } catch (CgroupException e) {
            throw new RuntimeError(e.getMessage(), e);
        }
    }

    private void attachDeviceFilter(Path cgroupDir, byte[] program) {
        try {
            sys.attachDeviceFilter(cgroupDir.toString(), program);
        } catch (SysException e) {
            throw new CgroupException("device rules for " + cgroupDir + ": " + e.getMessage(), e);
        }
    }

    private void killQuietly(int pid) {
        try {
            sys.kill(pid, 9);
        } catch (SysException ignored) {
            // gone meanwhile
        }
    }

    public State load(String id) {
        Path file = root.resolve(checkId(id)).resolve(STATE);
        if (!Files.isRegularFile(file)) throw new RuntimeError("container \"" + id + "\" does not exist");
        return State.fromJson(Json.read(file));
    }

    public Spec loadSpec(String id) {
        return SpecParser.parse(Json.read(root.resolve(id).resolve(CONFIG)));
    }

    /** runc's rule for ids: letters, digits and {@code + - . _}, not "." or "..". */
    private static String checkId(String id) {
        boolean ok = id != null && !id.isEmpty() && !id.equals(".") && !id.equals("..");
        for (int i = 0; ok && i < id.length(); i++) {
            char c = id.charAt(i);
            ok = c < 128 && (Character.isLetterOrDigit(c) || "+-._".indexOf(c) >= 0);
        }
        if (!ok) throw new RuntimeError("invalid container id \"" + id + "\": use letters, digits and + - . _");
        return id;
    }

    private void deleteQuietly(State s, Spec spec) {
        try {
            delete(s, spec, true);
        } catch (RuntimeError e) {
            warn.accept("delete " + s.id() + ": " + e.getMessage());
        }
    }

    /** Waits (up to 10 s) until the process with this start time is gone or a zombie. */
    private static void awaitGone(int pid, long startTime) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Procfs.startTime(pid) == startTime && startTime != -1 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (NoSuchFileException ignored) {
            // raced with another delete
        } catch (IOException e) {
            throw new RuntimeError("remove " + dir + ": " + e.getMessage(), e);
        }
    }
}
