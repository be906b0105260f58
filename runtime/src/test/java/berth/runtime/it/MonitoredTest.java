package berth.runtime.it;

import static berth.runtime.ContainerRuntime.Monitored.open;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import berth.runtime.ContainerRuntime;
import berth.runtime.ContainerRuntime.Monitored;
import berth.runtime.LaunchException;
import berth.runtime.Procfs;
import berth.runtime.RuntimeError;
import berth.runtime.spec.Spec;
import berth.sys.LinuxSyscalls;
import berth.sys.SysException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Containers and exec processes under a detached monitor (ContainerRuntime.startMonitored and
 * execMonitored, the executor's monitor mode 2), driven in-process as the daemon drives them: stdio through
 * FIFOs, the exit status in a file, a monitor that outlives the JVM that started it and keeps the output
 * until someone reads it, and launch failures that leave nothing behind.
 */
class MonitoredTest extends ContainerTestBase {
    private static final Path EXECUTOR = ItEnv.PROJECT.resolve("executor/target/classes/berth/executor/berth-executor");
    private static final int S_IFIFO = 0010000;

    private final LinuxSyscalls sys = new LinuxSyscalls();
    private final List<String> warnings = new ArrayList<>();
    /** Monitors this test saw, as pid -> start time: killed after the test if still there. */
    private final Map<Integer, Long> monitors = new LinkedHashMap<>();

    @BeforeAll
    static void useTheBuiltExecutor() {
        if (!Files.isExecutable(EXECUTOR)) fail("the executor is not built: " + EXECUTOR + " is missing");
        System.setProperty("berth.executor", EXECUTOR.toString());
    }

    @AfterEach
    void killLeftoverMonitors() {
        monitors.forEach((pid, start) -> {
            if (Procfs.startTime(pid) != start) return;
            try {
                sys.kill(pid, 9);
            } catch (SysException ignored) {
                // gone meanwhile
            }
        });
    }

    @Test
    void stdioGoesThroughFifosAndTheStatusFileHoldsTheExitCode() throws Exception {
        OciRuntime rt = runtime(RuntimeKind.BERTH);
        ContainerRuntime runtime = MonitoredStart.runtime(rt.stateRoot(), warnings::add);
        Path hookLog = work.resolve("hooks.log");
        Bundle b = bundle(rt).sh("echo out; echo err >&2; cat; exit 7");
        for (String phase : List.of("createRuntime", "poststart", "poststop")) hook(b, phase, hookLog);
        b.save();
        String id = newId();
        Path in = fifo("in"), out = fifo("out"), err = fifo("err"), status = work.resolve("status");

        CompletableFuture<String> stdout, stderr;
        int pid;
        // The writing end first: with no writer yet, the container would read end of file at once.
        try (FileChannel stdin = FileChannel.open(in, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            pid = runtime.startMonitored(id, b.dir(), new Monitored(Map.of(0, open("r", in), 1, open("rw", out),
                    2, open("rw", err)), null, status)).pid();
            watchMonitorOf(pid);
            assertEquals("running", runtime.state(id).get("status"));
            assertEquals(ownCgroup("memory") + "/" + id, cgroupOf(pid, "memory"), "the container joined its cgroup");
            assertTrue(runtime.pids(id).contains(pid), () -> runtime.pids(id).toString());
            assertEquals(List.of("createRuntime", "poststart"), Files.readAllLines(hookLog));
            stdout = readAll(out);
            stderr = readAll(err);
            stdin.write(ByteBuffer.wrap("hello\n".getBytes(StandardCharsets.US_ASCII)));
        }
        assertEquals("out\nhello\n", stdout.get(20, TimeUnit.SECONDS));
        assertEquals("err\n", stderr.get(20, TimeUnit.SECONDS));
        assertTrue(awaitFile(status, Duration.ofSeconds(10)), "the monitor wrote the status file");
        assertEquals("7\n", Files.readString(status));
        assertFalse(Files.exists(work.resolve("status.tmp")));
        assertEquals("stopped", runtime.state(id).get("status"));

        Path cgroup = Path.of("/sys/fs/cgroup/memory" + ownCgroup("memory"), id);
        assertTrue(Files.isDirectory(cgroup), cgroup::toString);
        runtime.delete(id, false);
        assertFalse(Files.exists(rt.stateRoot().resolve(id)), "delete removed the state directory");
        assertFalse(Files.exists(cgroup), "delete removed the cgroup");
        assertEquals(List.of("createRuntime", "poststart", "poststop"), Files.readAllLines(hookLog));
        assertEquals(List.of(), warnings);
    }

    @Test
    void aContainerKilledBySigkillHasStatus137() throws Exception {
        OciRuntime rt = runtime(RuntimeKind.BERTH);
        ContainerRuntime runtime = MonitoredStart.runtime(rt.stateRoot(), warnings::add);
        Bundle b = bundle(rt).args("sleep", "60");
        b.save();
        String id = newId();
        Path status = work.resolve("status");
        int pid = runtime.startMonitored(id, b.dir(), new Monitored(Map.of(), null, status)).pid();
        int monitor = watchMonitorOf(pid);
        runtime.kill(id, 9, false);
        assertTrue(awaitFile(status, Duration.ofSeconds(10)), "the monitor wrote the status file");
        assertEquals("137\n", Files.readString(status));
        awaitGone(monitor);
        assertEquals("stopped", runtime.state(id).get("status"));
        runtime.delete(id, false);
        assertFalse(Files.exists(rt.stateRoot().resolve(id)));
    }

    /**
     * A JVM of its own starts the container and exits. The monitor lives on in a session of its own, small,
     * holding nothing but the container's stdout and stderr and the status file's directory; an exec goes
     * through its own monitor meanwhile; output written while nobody read (more than a default pipe holds,
     * and a last line just before the exit) is all there when the FIFO is opened after the container has
     * exited, and only then does the monitor go.
     */
    @Test
    void theMonitorOutlivesItsLauncherAndKeepsTheOutputUntilItIsRead() throws Exception {
        OciRuntime rt = runtime(RuntimeKind.BERTH);
        ContainerRuntime runtime = MonitoredStart.runtime(rt.stateRoot(), warnings::add);
        Bundle b = bundle(rt).sh("head -c 300000 /dev/zero | tr '\\0' x; echo; "
                + "while [ ! -e /tmp/stop ]; do sleep 0.05; done; echo last; exit 3");
        b.save();
        String id = newId();
        Path out = fifo("out"), status = work.resolve("status");

        Process launcher = helper(new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-Dberth.executor=" + EXECUTOR,
                "-cp", System.getProperty("java.class.path"), MonitoredStart.class.getName(),
                rt.stateRoot().toString(), id, b.dir().toString(), out.toString(), status.toString())
                .redirectOutput(work.resolve("log/launcher.out").toFile())
                .redirectError(work.resolve("log/launcher.err").toFile()).start());
        assertTrue(launcher.waitFor(30, TimeUnit.SECONDS), "the launcher JVM exits after startMonitored");
        assertEquals(0, launcher.exitValue(), () -> read(work.resolve("log/launcher.err")));
        int pid = Integer.parseInt(read(work.resolve("log/launcher.out")).strip());
        int monitor = watchMonitorOf(pid);
        assertEquals("running", runtime.state(id).get("status"));
        assertNotEquals(launcher.pid(), (long) statusField(monitor, "PPid"), "the monitor's parent, the launcher, is gone");

        // A session of its own, and nothing held but stdout, stderr and the status file's directory.
        assertEquals(monitor, stat(monitor, 3), "the monitor leads its own session");
        assertNotEquals(stat((int) ProcessHandle.current().pid(), 3), stat(monitor, 3));
        long ignored = Long.parseLong(statusText(monitor, "SigIgn"), 16), hupAndPipe = 1L << (1 - 1) | 1L << (13 - 1);
        assertEquals(hupAndPipe, ignored & hupAndPipe, "the monitor ignores SIGHUP and SIGPIPE");
        Map<String, String> fds = openFds(monitor);
        assertEquals(3, fds.size(), fds::toString);
        assertEquals(out.toString(), fds.get("1"));
        assertEquals("/dev/null", fds.get("2"));
        assertTrue(fds.containsValue(work.toString()), fds::toString);
        long rssKb = statusField(monitor, "VmRSS"), pssKb = pss(monitor);
        System.out.println("monitor " + monitor + ": VmRSS " + rssKb + " kB, Pss " + pssKb + " kB");
        assertTrue(rssKb < 2048, "the monitor's resident set is small: " + rssKb + " kB");
        assertTrue(pssKb < 1024, "the monitor's proportional set is small: " + pssKb + " kB");

        exec(runtime, id, b);

        assertTrue(awaitFile(status, Duration.ofSeconds(20)), "the container exited once the exec touched /tmp/stop");
        assertEquals("3\n", Files.readString(status));
        assertEquals("stopped", runtime.state(id).get("status"));
        Thread.sleep(200);
        assertTrue(Procfs.startTime(monitor) != -1, "the monitor waits while its output is unread");
        String output = readAll(out).get(20, TimeUnit.SECONDS);
        assertEquals("x".repeat(300000) + "\nlast\n", output);
        awaitGone(monitor);
        runtime.delete(id, false);
        assertFalse(Files.exists(rt.stateRoot().resolve(id)));
        assertEquals(List.of(), warnings);
    }

    /**
     * With a terminal the monitor keeps the master (descriptor 3): the container runs on when the runtime that
     * received the master closes it, a copy taken with pidfd_getfd reads what it writes and resizes it, and
     * output written just before the exit, while nobody held the master but the monitor, keeps the monitor
     * until it has been read.
     */
    @Test
    void theMonitorKeepsTheTerminalForARuntimeThatComesBack() throws Exception {
        OciRuntime rt = runtime(RuntimeKind.BERTH);
        ContainerRuntime runtime = MonitoredStart.runtime(rt.stateRoot(), warnings::add);
        Bundle b = bundle(rt).sh("while [ ! -e /tmp/stop ]; do echo size $(stty size); sleep 0.1; done; echo last; exit 4");
        b.process().put("terminal", true);
        b.process().put("consoleSize", Map.of("height", 24, "width", 80));
        b.save();
        String id = newId();
        Path out = fifo("out"), err = fifo("err"), status = work.resolve("status"), socket = work.resolve("console.sock");
        int listener = sys.listenUnix(socket.toString());
        ContainerRuntime.Started started;
        int received;
        try {
            started = runtime.startMonitored(id, b.dir(), new Monitored(Map.of(1, open("rw", out), 2, open("rw", err)),
                    socket.toString(), status));
            int conn = sys.accept(listener);
            try {
                received = sys.receiveFd(conn).fd();
            } finally {
                sys.close(conn);
            }
        } finally {
            sys.close(listener);
        }
        int monitor = watchMonitorOf(started.pid());
        assertEquals(monitor, started.monitorPid(), "startMonitored names the container's parent as its monitor");
        try {
            assertTrue(readUntil(received, "size 24 80").contains("size 24 80"));
        } finally {
            sys.close(received); // the runtime goes away
        }
        Thread.sleep(300);
        assertEquals("running", runtime.state(id).get("status"), "the container lives on without the runtime's master");
        Map<String, String> fds = openFds(monitor);
        assertEquals(List.of("1", "2", "3"), fds.keySet().stream().filter(fd -> !fds.get(fd).equals(work.toString())).toList(),
                fds::toString);
        assertTrue(fds.get("3").endsWith("ptmx"), fds::toString);

        int master = takeMaster(monitor);
        try {
            assertTrue(sys.isatty(master));
            sys.setWindowSize(master, 30, 100);
            assertTrue(readUntil(master, "size 30 100").contains("size 30 100"));
        } finally {
            sys.close(master);
        }
        Files.createFile(b.rootfs().resolve("tmp/stop"));
        assertTrue(awaitFile(status, Duration.ofSeconds(10)), "the container exited once /tmp/stop was there");
        assertEquals("4\n", Files.readString(status));
        Thread.sleep(200);
        assertTrue(Procfs.startTime(monitor) != -1, "the monitor waits while the terminal's output is unread");
        master = takeMaster(monitor);
        try {
            assertTrue(readUntil(master, "last").contains("last"));
        } finally {
            sys.close(master);
        }
        awaitGone(monitor);
        runtime.delete(id, false);
        assertEquals(List.of(), warnings);
    }

    /** A copy of the terminal's master that {@code monitor} keeps at descriptor 3. */
    private int takeMaster(int monitor) {
        int pidfd = sys.pidfdOpen(monitor);
        try {
            return sys.pidfdGetfd(pidfd, 3);
        } finally {
            sys.close(pidfd);
        }
    }

    /** What a terminal's master gives until it has given {@code text}; fails after 20 seconds. */
    private String readUntil(int master, String text) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            StringBuilder got = new StringBuilder();
            byte[] buf = new byte[4096];
            while (!got.toString().contains(text)) {
                int n = sys.read(master, buf);
                if (n <= 0) throw new AssertionError("the terminal ended before \"" + text + "\": " + got);
                got.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
            return got.toString();
        }, r -> Thread.ofPlatform().daemon().start(r)).get(20, TimeUnit.SECONDS);
    }

    /** execMonitored into the running container: its own FIFOs and status; a missing program leaves nothing. */
    private void exec(ContainerRuntime runtime, String id, Bundle b) throws Exception {
        Spec.Process base = runtime.loadSpec(id).process();
        Path in = fifo("exec-in"), out = fifo("exec-out"), err = fifo("exec-err"), status = work.resolve("exec-status");
        Monitored stdio = new Monitored(Map.of(0, open("r", in), 1, open("rw", out), 2, open("rw", err)), null, status);

        Set<Long> children = children();
        LaunchException missing = assertThrows(LaunchException.class,
                () -> runtime.execMonitored(id, process(base, "/no/such/binary"), stdio));
        assertEquals("find executable \"/no/such/binary\": ENOENT (No such file or directory)", missing.getMessage());
        assertFalse(Files.exists(status), "a failed exec leaves no status file");
        assertEquals(children, children(), "a failed exec leaves no monitor");

        CompletableFuture<String> stdout, stderr;
        try (FileChannel stdin = FileChannel.open(in, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            int pid = runtime.execMonitored(id, process(base, "sh", "-c",
                    "echo exec-out; echo exec-err >&2; read x; echo got $x; touch /tmp/stop; exit 5"), stdio).pid();
            int monitor = watchMonitorOf(pid);
            assertEquals(monitor, stat(monitor, 3), "the exec's monitor leads its own session");
            assertTrue(runtime.pids(id).contains(pid), "the exec joined the container's cgroup");
            stdout = readAll(out);
            stderr = readAll(err);
            stdin.write(ByteBuffer.wrap("hi\n".getBytes(StandardCharsets.US_ASCII)));
        }
        assertEquals("exec-out\ngot hi\n", stdout.get(20, TimeUnit.SECONDS));
        assertEquals("exec-err\n", stderr.get(20, TimeUnit.SECONDS));
        assertTrue(awaitFile(status, Duration.ofSeconds(10)));
        assertEquals("5\n", Files.readString(status));
        assertTrue(Files.exists(b.rootfs().resolve("tmp/stop")));
    }

    @Test
    void aLaunchFailureThrowsTheExecutorsErrorAndLeavesNothingBehind() throws Exception {
        OciRuntime rt = runtime(RuntimeKind.BERTH);
        ContainerRuntime runtime = MonitoredStart.runtime(rt.stateRoot(), warnings::add);
        Bundle b = bundle(rt).args("/no/such/binary");
        b.save();
        String id = newId();
        Path out = fifo("out"), status = work.resolve("status");
        Path cgroup = Path.of("/sys/fs/cgroup/memory" + ownCgroup("memory"), id);
        Set<Long> children = children();

        LaunchException e = assertThrows(LaunchException.class, () -> runtime.startMonitored(id, b.dir(),
                new Monitored(Map.of(1, open("rw", out)), null, status)));
        assertEquals("find executable \"/no/such/binary\": ENOENT (No such file or directory)", e.getMessage());
        assertNothingLeft(rt, id, status, cgroup, children);

        Path absent = work.resolve("no-such-fifo");
        LaunchException noFifo = assertThrows(LaunchException.class, () -> runtime.startMonitored(id, b.dir(),
                new Monitored(Map.of(1, open("rw", absent)), null, status)));
        assertEquals("open " + absent + " as descriptor 1: ENOENT (No such file or directory)", noFifo.getMessage());
        assertNothingLeft(rt, id, status, cgroup, children);

        Files.writeString(status, "0\n");
        RuntimeError stale = assertThrows(RuntimeError.class, () -> runtime.startMonitored(id, b.dir(),
                new Monitored(Map.of(), null, status)));
        assertEquals("status file " + status + " already exists: remove the previous process's first", stale.getMessage());
        assertEquals("0\n", Files.readString(status), "an earlier status file is the caller's to remove");
        assertFalse(Files.exists(rt.stateRoot().resolve(id)));
    }

    private void assertNothingLeft(OciRuntime rt, String id, Path status, Path cgroup, Set<Long> children) {
        assertFalse(Files.exists(rt.stateRoot().resolve(id)), "no state directory");
        assertFalse(Files.exists(status), "no status file");
        assertFalse(Files.exists(status.resolveSibling(status.getFileName() + ".tmp")), "no temporary status file");
        assertFalse(Files.exists(cgroup), "no cgroup");
        assertEquals(children, children(), "no process");
    }

    // ---------------------------------------------------------------- helpers

    private Path fifo(String name) {
        Path p = work.resolve(name);
        sys.mknod(p.toString(), S_IFIFO | 0600, 0, 0);
        return p;
    }

    /** Reads a FIFO to its end on a thread of its own: the end comes when every writer, the monitor too, is gone. */
    private static CompletableFuture<String> readAll(Path fifo) {
        return CompletableFuture.supplyAsync(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new AssertionError("read " + fifo + ": " + e, e);
            }
        }, r -> Thread.ofVirtual().start(r));
    }

    private static void hook(Bundle b, String phase, Path log) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("path", "/bin/sh");
        h.put("args", new ArrayList<>(List.of("sh", "-c", "echo " + phase + " >> " + log)));
        Bundle.list(b.hooks(), phase).add(h);
    }

    private static Spec.Process process(Spec.Process base, String... args) {
        return new Spec.Process(false, null, base.user(), List.of(args), base.env(), "/", base.capabilities(),
                base.rlimits(), base.noNewPrivileges(), null);
    }

    /** The monitor of a monitored process is its parent; remembered for the cleanup. */
    private int watchMonitorOf(int pid) throws IOException {
        int monitor = (int) statusField(pid, "PPid");
        monitors.put(monitor, Procfs.startTime(monitor));
        String exe = Files.readSymbolicLink(Path.of("/proc/" + monitor + "/exe")).toString();
        assertTrue(exe.startsWith("/memfd:berth-executor"), "the parent of " + pid + " is the executor, not " + exe);
        return monitor;
    }

    private static void awaitGone(int pid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Procfs.startTime(pid) != -1) {
            if (System.nanoTime() > deadline) fail("process " + pid + " is still there");
            Thread.sleep(20);
        }
    }

    private static Set<Long> children() {
        return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    /** A number from /proc/PID/status ("PPid", or "VmRSS" in kB). */
    private static long statusField(int pid, String name) throws IOException {
        return Long.parseLong(statusText(pid, name).split("\\s+")[0]);
    }

    private static String statusText(int pid, String name) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(name + ":")) return line.substring(name.length() + 1).strip();
        }
        throw new AssertionError("no " + name + " in /proc/" + pid + "/status");
    }

    /** Field {@code index} of /proc/PID/stat counted from the state (0), e.g. 3 for the session. */
    private static int stat(int pid, int index) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[index]);
    }

    private static long pss(int pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup"))) {
            if (line.startsWith("Pss:")) return Long.parseLong(line.substring(4).strip().split("\\s+")[0]);
        }
        throw new AssertionError("no Pss in /proc/" + pid + "/smaps_rollup");
    }

    /** Descriptor number -> what it points to. */
    private static Map<String, String> openFds(int pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            Map<String, String> out = new LinkedHashMap<>();
            for (Path fd : fds.sorted().toList()) out.put(fd.getFileName().toString(), Files.readSymbolicLink(fd).toString());
            return out;
        }
    }

    /** This process's cgroup in a v1 hierarchy, e.g. "/process_api/x" or "" for the root. */
    private static String ownCgroup(String controller) throws IOException {
        String path = cgroupOf((int) ProcessHandle.current().pid(), controller);
        return path.equals("/") ? "" : path;
    }

    private static String cgroupOf(int pid, String controller) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"))) {
            String[] f = line.split(":", 3);
            if (List.of(f[1].split(",")).contains(controller)) return f[2];
        }
        throw new AssertionError("no " + controller + " cgroup in /proc/" + pid + "/cgroup");
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
