package berth.runtime;

import berth.runtime.plan.Plan;
import berth.runtime.plan.PlanCompiler;
import berth.runtime.spec.Spec.Hook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs OCI hooks through the executor: the container state as JSON on stdin, a timeout, output kept for
 * the error message. Container-namespace hooks join the container's namespaces before they execute.
 */
final class HookRunner {
    /** The hook's stdout goes where the executor's stderr goes: the pipe we read. */
    private static final Map<Integer, String> OUTPUT_TO_STDERR = Map.of(1, "2");

    private final Launcher launcher;
    private final PlanCompiler compiler;
    private final Consumer<String> warn;

    HookRunner(Launcher launcher, PlanCompiler compiler, Consumer<String> warn) {
        this.launcher = launcher;
        this.compiler = compiler;
        this.warn = warn;
    }

    /** Runs each hook in the runtime's namespaces; the first failure throws. */
    void runOnHost(String phase, List<Hook> hooks, String stateJson) {
        for (Hook h : hooks) run(phase, h, stateJson, Map.of());
    }

    /** Runs each hook inside the namespaces given as type -> path; the first failure throws. */
    void runInContainer(String phase, List<Hook> hooks, String stateJson, Map<String, String> namespaces) {
        for (Hook h : hooks) run(phase, h, stateJson, namespaces);
    }

    /** Runs every hook, turning failures into warnings (poststart, poststop). */
    void runWarning(String phase, List<Hook> hooks, String stateJson) {
        for (Hook h : hooks) {
            try {
                run(phase, h, stateJson, Map.of());
            } catch (RuntimeError e) {
                warn.accept(e.getMessage());
            }
        }
    }

    private void run(String phase, Hook hook, String stateJson, Map<String, String> namespaces) {
        Plan plan = compiler.hook(hook, namespaces);
        ExecutorProcess p;
        try {
            p = launcher.exec(plan, OUTPUT_TO_STDERR, stateJson.getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeError e) {
            throw new RuntimeError(phase + " hook " + hook.path() + ": " + e.getMessage(), e);
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (InputStream err = p.errors()) {
                err.transferTo(output);
            } catch (IOException ignored) {
                // the hook went away
            }
        });
        int status;
        try {
            status = hook.timeout() == null ? p.waitFor() : p.waitFor(hook.timeout(), TimeUnit.SECONDS);
            if (status == -1 && hook.timeout() != null) {
                p.kill();
                p.waitFor();
                throw new RuntimeError(phase + " hook " + hook.path() + ": timed out after " + hook.timeout() + "s");
            }
            reader.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.kill();
            throw new RuntimeError(phase + " hook " + hook.path() + ": interrupted");
        }
        if (status != 0) {
            String text;
            synchronized (output) {
                text = output.toString(StandardCharsets.UTF_8).strip().replace('\n', ' ');
            }
            throw new RuntimeError(phase + " hook " + hook.path() + " exited with status " + status
                    + (text.isEmpty() ? "" : ": " + text));
        }
    }
}
