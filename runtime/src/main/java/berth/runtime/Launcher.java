package berth.runtime;

import berth.runtime.plan.Plan;
import berth.sys.SysException;
import berth.sys.Syscalls;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts the executor on a plan and speaks its side of the sync protocol (see executor.c): hands over the
 * plan, learns the new process's pid, does the outside work at each pause, and reports the executor's
 * first failure as a {@link LaunchException} naming the operation and the errno.
 */
public final class Launcher {
    private static final byte[] GO = "go".getBytes(StandardCharsets.US_ASCII);

    private final Syscalls sys;
    private final ExecutorBinary executor;

    /** The runtime's part at each pause of the plan. */
    public interface Events {
        /** The process exists (it waits for "go"): write id maps, join cgroups. */
        default void onPid(int pid) {}

        /** The process reached {@code Op.sync(tag)} and waits for "go". */
        default void onSync(String tag, int pid) {}
    }

    /**
     * A launched process that reported "ready". {@code syncFd} stays open: later failures (before its
     * exec) still arrive there, and end of file means the program was executed.
     */
    public record Launched(int pid, int syncFd) {}

    public Launcher(Syscalls sys, ExecutorBinary executor) {
        this.sys = sys;
        this.executor = executor;
    }

    /**
     * Runs a plan that clones (create, exec) up to its "ready" notification.
     *
     * @param passFds descriptors for the executor: its fd number -> this process's fd (stdio, preserved fds,
     *                console socket). The plan and sync descriptors are placed at {@code controlFd} and
     *                {@code controlFd + 1}.
     */
    public Launched launch(Plan plan, Map<Integer, Integer> passFds, int controlFd, Events events) {
        int[] pair = sys.socketpair();
        int pid = -1, executorPid = -1;
        try {
            executorPid = spawn(plan, passFds, controlFd, pair);
            while (true) {
                String msg = receive(pair[0]);
                if (msg == null) {
                    if (executorPid > 0) {
                        var exit = sys.waitpid(executorPid);
                        executorPid = -1;
                        throw new RuntimeError("the executor exited with status " + exit.status() + " before it was ready");
                    }
                    throw new RuntimeError("the container process exited before it was ready");
                }
                if (msg.startsWith("pid ")) {
                    pid = Integer.parseInt(msg.substring(4));
                    sys.waitpid(executorPid);
                    executorPid = -1;
                    events.onPid(pid);
                    sys.writeFully(pair[0], GO);
                } else if (msg.startsWith("sync ")) {
                    events.onSync(msg.substring(5), pid);
                    sys.writeFully(pair[0], GO);
                } else if (msg.equals("ready")) {
                    return new Launched(pid, pair[0]);
                } else {
                    throw failure(plan, msg);
                }
            }
        } catch (RuntimeException e) {
            sys.close(pair[0]);
            if (pid > 0) killQuietly(pid);
            if (executorPid > 0) sys.waitpid(executorPid);
            throw e;
        }
    }

    /**
     * Runs a plan that ends in exec without cloning (a hook inside the container's namespaces). Returns
     * the executor's pid once the program is executing; the caller waits for it.
     */
    public int exec(Plan plan, Map<Integer, Integer> passFds, int controlFd) {
        int[] pair = sys.socketpair();
        try {
            int pid = spawn(plan, passFds, controlFd, pair);
            String msg = receive(pair[0]);
            if (msg != null) {
                sys.waitpid(pid);
                throw failure(plan, msg);
            }
            return pid;
        } finally {
            sys.close(pair[0]);
        }
    }

    /** Releases a process waiting in {@code Op.waitGo()} after "ready" (run starts its container this way). */
    public void go(int syncFd) {
        sys.writeFully(syncFd, GO);
    }

    /** After "ready": null once the program is running, or the failure the executor reported. */
    public RuntimeError awaitExec(Plan plan, int syncFd) {
        try {
            String msg = receive(syncFd);
            return msg == null ? null : failure(plan, msg);
        } finally {
            sys.close(syncFd);
        }
    }

    private int spawn(Plan plan, Map<Integer, Integer> passFds, int controlFd, int[] pair) {
        Syscalls.Pipe planPipe = sys.pipe();
        try {
            Map<Integer, Integer> fds = new LinkedHashMap<>(passFds);
            fds.put(controlFd, planPipe.read());
            fds.put(controlFd + 1, pair[1]);
            // The executor installs each descriptor at its number: argv is PLAN_FD SYNC_FD DST=SRC...
            List<String> argv = new ArrayList<>(List.of("berth-executor", String.valueOf(controlFd), String.valueOf(controlFd + 1)));
            fds.forEach((dst, src) -> argv.add(dst + "=" + src));
            int pid = sys.spawn(executor.path(), argv, List.of(), fds.values());
            sys.close(planPipe.read());
            sys.close(pair[1]);
            sys.writeFully(planPipe.write(), plan.encode());
            return pid;
        } catch (SysException e) {
            sys.close(planPipe.read());
            sys.close(pair[1]);
            throw new RuntimeError("start the executor: " + e.getMessage(), e);
        } finally {
            sys.close(planPipe.write());
        }
    }

    private String receive(int fd) {
        byte[] buf = new byte[256];
        int n = sys.read(fd, buf);
        return n == 0 ? null : new String(buf, 0, n, StandardCharsets.US_ASCII);
    }

    private static RuntimeError failure(Plan plan, String msg) {
        String[] parts = msg.split(" ");
        if (parts.length == 3 && parts[0].equals("error")) {
            return new LaunchException(plan.describe(Integer.parseInt(parts[1])), Integer.parseInt(parts[2]));
        }
        return new RuntimeError("unexpected message from the executor: " + msg);
    }

    private void killQuietly(int pid) {
        try {
            sys.kill(pid, 9);
        } catch (SysException ignored) {
            // already gone
        }
    }
}
