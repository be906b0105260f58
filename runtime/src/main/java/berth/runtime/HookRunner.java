package berth.runtime;

import berth.runtime.plan.Plan;
import berth.runtime.plan.PlanCompiler;
import berth.runtime.spec.Spec.Hook;
import berth.sys.SysException;
import berth.sys.Syscalls;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Runs OCI hooks: the container state as JSON on stdin, a timeout, output kept for the error message.
 * Runtime-namespace hooks are spawned directly; container-namespace hooks go through the executor, which
 * joins the container's namespaces before it executes the hook.
 */
final class HookRunner {
    private final Syscalls sys;
    private final Launcher launcher;
    private final PlanCompiler compiler;

    HookRunner(Syscalls sys, Launcher launcher, PlanCompiler compiler) {
        this.sys = sys;
        this.launcher = launcher;
        this.compiler = compiler;
    }

    /** Runs each hook in the runtime's namespaces; the first failure throws. */
    void runOnHost(String phase, List<Hook> hooks, String stateJson) {
        for (Hook h : hooks) run(phase, h, stateJson, null);
    }

    /** Runs each hook inside the namespaces given as type -> path; the first failure throws. */
    void runInContainer(String phase, List<Hook> hooks, String stateJson, Map<String, String> namespaces) {
        for (Hook h : hooks) run(phase, h, stateJson, namespaces);
    }

    /** Runs every hook, turning failures into warnings (poststart, poststop). */
    void runWarning(String phase, List<Hook> hooks, String stateJson) {
        for (Hook h : hooks) {
            try {
                run(phase, h, stateJson, null);
            } catch (RuntimeError e) {
                System.err.println("berth-runtime: warning: " + e.getMessage());
            }
        }
    }

    private void run(String phase, Hook hook, String stateJson, Map<String, String> namespaces) {
        Syscalls.Pipe in = sys.pipe(), out = sys.pipe();
        int pid;
        try {
            Map<Integer, Integer> fds = Map.of(0, in.read(), 1, out.write(), 2, out.write());
            // Hooks start through the executor too: it installs stdio and, for container hooks, joins the
            // container's namespaces first.
            Plan plan = compiler.hook(hook, namespaces == null ? Map.of() : namespaces);
            pid = launcher.exec(plan, fds, 3);
        } catch (SysException | RuntimeError e) {
            sys.close(in.read()); sys.close(in.write()); sys.close(out.read()); sys.close(out.write());
            throw new RuntimeError(phase + " hook " + hook.path() + ": " + e.getMessage(), e);
        }
        sys.close(in.read());
        sys.close(out.write());
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> {
            byte[] buf = new byte[4096];
            int n;
            while ((n = sys.read(out.read(), buf)) > 0) output.write(buf, 0, n);
        });
        try {
            sys.writeFully(in.write(), stateJson.getBytes(StandardCharsets.UTF_8));
        } catch (SysException ignored) {
            // the hook need not read its stdin
        } finally {
            sys.close(in.write());
        }
        Syscalls.Exit exit = waitWithTimeout(pid, hook.timeout());
        try {
            reader.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sys.close(out.read());
        if (exit == null) throw new RuntimeError(phase + " hook " + hook.path() + ": timed out after " + hook.timeout() + "s");
        if (exit.status() != 0) {
            String text = output.toString(StandardCharsets.UTF_8).strip().replace('\n', ' ');
            throw new RuntimeError(phase + " hook " + hook.path() + " exited with status " + exit.status()
                    + (text.isEmpty() ? "" : ": " + text));
        }
    }

    /** The hook's exit, or null after killing it when the timeout passed. */
    private Syscalls.Exit waitWithTimeout(int pid, Integer timeoutSeconds) {
        if (timeoutSeconds == null) return sys.waitpid(pid);
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        long sleep = 1;
        while (true) {
            Syscalls.Exit e = sys.tryWait(pid);
            if (e != null) return e;
            if (System.nanoTime() > deadline) {
                sys.kill(pid, 9);
                sys.waitpid(pid);
                return null;
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            sleep = Math.min(50, sleep * 2);
        }
    }
}
