package berth.runtime;

import berth.runtime.plan.Plan;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Starts the executor on a plan and speaks its side of the sync protocol (see executor.c): hands over the
 * plan, learns the new process's pid, does the outside work at each pause, and reports the executor's
 * first failure as a {@link LaunchException} naming the operation and the errno.
 */
public final class Launcher {
    private static final byte[] GO = "go\n".getBytes(StandardCharsets.US_ASCII);
    private final ExecutorProcess.Starter starter;
    private final IntConsumer kill;
    private final long selfPid = ProcessHandle.current().pid();

    /** The runtime's part at each pause of the plan. */
    public interface Events {
        /** The process exists (it waits for "go"): write id maps, join cgroups. */
        default void onPid(int pid) {}

        /** The process reached {@code Op.sync(tag)} and waits for "go". */
        default void onSync(String tag, int pid) {}
    }

    /**
     * A launched process that reported "ready". The executor stays reachable: later failures (before the
     * program's exec) still arrive on its messages, and with a monitoring plan its exit status is the
     * program's.
     */
    public record Launched(int pid, ExecutorProcess executor) {}

    /**
     * @param kill SIGKILLs a process: the launched one, when the runtime gives up on it half way
     */
    public Launcher(ExecutorProcess.Starter starter, IntConsumer kill) {
        this.starter = starter;
        this.kill = kill;
    }

    /**
     * Runs a plan that clones (create, run, exec) up to its "ready" notification.
     *
     * @param fds descriptors to install in the executor, its number to the source: "jN" for this
     *            process's descriptor N (stdio, preserved descriptors), "oMODE:PATH" for PATH opened with
     *            MODE r, w or rw (see executor.c)
     */
    public Launched launch(Plan plan, Map<Integer, String> fds, Events events) {
        ExecutorProcess p = start(plan, fds, false);
        int pid = -1;
        try {
            while (true) {
                String msg = readLine(p.messages());
                if (msg == null) {
                    int status = pid < 0 ? p.waitFor() : -1;
                    throw new RuntimeError(pid < 0 ? "the executor exited with status " + status + " before it was ready"
                            : "the container process exited before it was ready");
                }
                if (msg.startsWith("pid ")) {
                    pid = Integer.parseInt(msg.substring(4));
                    events.onPid(pid);
                    send(p, GO);
                } else if (msg.startsWith("sync ")) {
                    events.onSync(msg.substring(5), pid);
                    send(p, GO);
                } else if (msg.equals("ready")) {
                    return new Launched(pid, p);
                } else {
                    throw failure(plan, fds, msg);
                }
            }
        } catch (RuntimeException | IOException | InterruptedException e) {
            if (pid > 0) kill.accept(pid);
            p.kill();
            closeQuietly(p);
            // a monitoring executor must be gone before the caller cleans up after it
            awaitQuietly(p);
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            throw e instanceof RuntimeException r ? r : new RuntimeError("talk to the executor: " + e.getMessage(), e);
        }
    }

    /**
     * Runs a plan that ends in exec without cloning (a hook): {@code stdin} follows the plan on the
     * executor's stdin, where the program reads it. Returns once the program is executing; its output
     * is on {@link ExecutorProcess#errors()}.
     */
    public ExecutorProcess exec(Plan plan, Map<Integer, String> fds, byte[] stdin) {
        ExecutorProcess p = start(plan, fds, true);
        try {
            try {
                p.commands().write(stdin);
                p.commands().close();
            } catch (IOException ignored) {
                // a program need not read its stdin
            }
            String msg = readLine(p.messages());
            if (msg != null) {
                p.waitFor();
                throw failure(plan, fds, msg);
            }
            return p;
        } catch (IOException | InterruptedException e) {
            p.kill();
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            throw new RuntimeError("talk to the executor: " + e.getMessage(), e);
        }
    }

    /** Releases a process waiting in {@code Op.waitGo()} after "ready" (run starts its container this way). */
    public void go(Launched l) {
        try {
            send(l.executor(), GO);
        } catch (IOException e) {
            throw new RuntimeError("start the container: its process is gone (" + e.getMessage() + ")", e);
        }
    }

    /** After "ready": null once the program is running, or the failure the executor reported. */
    public RuntimeError awaitExec(Plan plan, Launched l) {
        try {
            String msg = readLine(l.executor().messages());
            return msg == null ? null : failure(plan, Map.of(), msg);
        } catch (IOException e) {
            return null;
        } finally {
            closeQuietly(l.executor());
        }
    }

    /**
     * Gives up on a launched process's executor: kills it (a monitor would stay otherwise, and record a
     * status) and waits for it to be gone. The process itself is the caller's to kill.
     */
    public void abandon(Launched l) {
        l.executor().kill();
        closeQuietly(l.executor());
        awaitQuietly(l.executor());
    }

    /** Lets go of a launched executor (create: the container lives on without us). */
    public void release(Launched l) {
        closeQuietly(l.executor());
    }

    private ExecutorProcess start(Plan plan, Map<Integer, String> fds, boolean captureStderr) {
        List<String> args = new ArrayList<>(fds.size() + 1);
        args.add(String.valueOf(selfPid));
        fds.forEach((dst, src) -> args.add(dst + "=" + src));
        ExecutorProcess p;
        try {
            p = starter.start(args, captureStderr);
        } catch (IOException e) {
            throw new RuntimeError("start the executor: " + e.getMessage(), e);
        }
        byte[] encoded = plan.encode();
        try {
            OutputStream out = p.commands();
            out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(encoded.length).array());
            out.write(encoded);
            out.flush();
        } catch (IOException e) {
            // It exited before it read the plan (a descriptor it could not open): its message says why. Read
            // it before kill(), which discards what the JDK kept of its output.
            String msg = null;
            try {
                msg = readLine(p.messages());
            } catch (IOException ignored) {
                // no message, then
            }
            p.kill();
            awaitQuietly(p);
            throw msg != null ? failure(plan, fds, msg) : new RuntimeError("hand the plan to the executor: " + e.getMessage(), e);
        }
        return p;
    }

    private static void send(ExecutorProcess p, byte[] line) throws IOException {
        p.commands().write(line);
        p.commands().flush();
    }

    /** One message line, or null at end of file. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(32);
        int b;
        while ((b = in.read()) != -1 && b != '\n') line.write(b);
        if (b == -1 && line.size() == 0) return null;
        return line.toString(StandardCharsets.US_ASCII);
    }

    private static RuntimeError failure(Plan plan, Map<Integer, String> fds, String msg) {
        String[] parts = msg.split(" ");
        if (parts.length == 3 && parts[0].equals("error")) {
            return new LaunchException(plan.describe(Integer.parseInt(parts[1])), Integer.parseInt(parts[2]));
        }
        if (parts.length == 4 && parts[0].equals("error") && parts[1].equals("fd")) {
            int dst = Integer.parseInt(parts[2]);
            return new LaunchException(describeFd(dst, fds.get(dst)), Integer.parseInt(parts[3]));
        }
        return new RuntimeError("unexpected message from the executor: " + msg);
    }

    /** What installing descriptor {@code dst} from {@code src} (as in {@link #launch}) did, for error messages. */
    private static String describeFd(int dst, String src) {
        if (src == null) return "install descriptor " + dst;
        if (src.startsWith("o")) return "open " + src.substring(src.indexOf(':') + 1) + " as descriptor " + dst;
        if (src.startsWith("j")) return "take descriptor " + src.substring(1) + " of the runtime as descriptor " + dst;
        return "duplicate descriptor " + src + " as descriptor " + dst;
    }

    /** Waits (up to 10 s) for a killed executor to be gone. */
    private static void awaitQuietly(ExecutorProcess p) {
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(ExecutorProcess p) {
        try {
            p.commands().close();
        } catch (IOException ignored) {
            // already closed
        }
        try {
            p.messages().close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
