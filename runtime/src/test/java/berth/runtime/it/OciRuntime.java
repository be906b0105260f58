package berth.runtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import berth.runtime.Json;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One OCI runtime binary (berth-runtime or runc) with its own state directory ({@code --root}), unique per test.
 * Every invocation has stdin from /dev/null and stdout/stderr captured into files (never pipes: a detached
 * container inherits them and would keep a pipe open forever), and is killed after a timeout.
 */
public final class OciRuntime {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final RuntimeKind kind;
    private final Path stateRoot;
    private final Path scratch;
    private final AtomicInteger counter = new AtomicInteger();
    private final List<String> globalFlags = new ArrayList<>();

    OciRuntime(RuntimeKind kind, Path stateRoot, Path scratch) {
        this.kind = kind;
        this.stateRoot = stateRoot;
        this.scratch = scratch;
    }

    /** Adds global flags given before every verb (e.g. berth-runtime's --cgroup-root). */
    public OciRuntime withGlobalFlags(String... flags) {
        globalFlags.addAll(List.of(flags));
        return this;
    }

    public RuntimeKind kind() {
        return kind;
    }

    public boolean isBerth() {
        return kind.isBerth();
    }

    /** The {@code --root} state directory. */
    public Path stateRoot() {
        return stateRoot;
    }

    /** Runs {@code <binary> --root <stateRoot> args...} and waits (at most 30 s). */
    public Result exec(String... args) {
        return exec(DEFAULT_TIMEOUT, args);
    }

    public Result exec(Duration timeout, String... args) {
        return execVia(null, timeout, args);
    }

    /**
     * Runs the runtime through {@code /bin/sh -c '<shellPrefix>; exec "$0" "$@"'}, so the prefix can set up
     * file descriptors the runtime then inherits.
     */
    public Result execVia(String shellPrefix, Duration timeout, String... args) {
        List<String> cmd = new ArrayList<>();
        if (shellPrefix != null) {
            cmd.addAll(List.of("/bin/sh", "-c", shellPrefix + "; exec \"$0\" \"$@\""));
        }
        cmd.add(kind.binary().toString());
        cmd.add("--root");
        cmd.add(stateRoot.toString());
        cmd.addAll(globalFlags);
        cmd.addAll(List.of(args));
        return Processes.run(cmd, scratch, kind + "-" + counter.incrementAndGet(), timeout);
    }

    /** Runs and asserts exit status 0. */
    public Result ok(String... args) {
        Result r = exec(args);
        assertEquals(0, r.exitCode(), () -> kind + " failed:\n" + r);
        return r;
    }

    /** {@code state ID} parsed; asserts success. */
    public Map<String, Object> state(String id) {
        Result r = ok("state", id);
        return Json.parse(r.stdout().getBytes(StandardCharsets.UTF_8), "state output");
    }

    public String status(String id) {
        return String.valueOf(state(id).get("status"));
    }

    /** Polls {@code state ID} until the status is {@code want} (at most {@code timeout}). */
    public void awaitStatus(String id, String want, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last;
        do {
            last = status(id);
            if (last.equals(want)) return;
            sleep(50);
        } while (System.nanoTime() < deadline);
        fail(kind + ": container " + id + " did not reach status " + want + " within " + timeout + " (last: " + last + ")");
    }

    /** Names in the state directory (containers the runtime still knows about). */
    public List<String> stateEntries() {
        if (!Files.isDirectory(stateRoot)) return List.of();
        try (var s = Files.list(stateRoot)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of("(unreadable: " + e + ")");
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return kind.toString();
    }

    /** Process running with a hard timeout, output captured to files. */
    static final class Processes {
        private Processes() {}

        static Result run(List<String> cmd, Path scratch, String tag, Duration timeout) {
            long t0 = System.nanoTime();
            Process p = start(cmd, scratch, tag);
            Result r = finish(p, cmd, scratch, tag, timeout, t0);
            // The per-test log (surefire keeps it in <class>-output.txt).
            System.out.printf("%5d ms  exit %3d  %s%n", r.elapsed().toMillis(), r.exitCode(), String.join(" ", cmd));
            return r;
        }

        static Process start(List<String> cmd, Path scratch, String tag) {
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .redirectInput(new File("/dev/null"))
                    .redirectOutput(scratch.resolve(tag + ".out").toFile())
                    .redirectError(scratch.resolve(tag + ".err").toFile());
            try {
                return pb.start();
            } catch (IOException e) {
                throw new AssertionError("cannot start " + cmd + ": " + e, e);
            }
        }

        static Result finish(Process p, List<String> cmd, Path scratch, String tag, Duration timeout, long startNanos) {
            boolean done;
            try {
                done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                done = false;
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
            if (!done) {
                killTree(p.toHandle());
                fail("timed out after " + timeout.toSeconds() + " s (killed): " + String.join(" ", cmd)
                        + "\n  stdout: " + read(scratch.resolve(tag + ".out")) + "\n  stderr: " + read(scratch.resolve(tag + ".err")));
            }
            return new Result(cmd, p.exitValue(), read(scratch.resolve(tag + ".out")), read(scratch.resolve(tag + ".err")), elapsed);
        }

        static void killTree(ProcessHandle h) {
            h.descendants().forEach(ProcessHandle::destroyForcibly);
            h.destroyForcibly();
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // best effort
            }
        }

        static String read(Path f) {
            try {
                return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        }
    }

    static void assertContains(String haystack, String needle, Object context) {
        assertTrue(haystack.contains(needle), () -> "expected to find \"" + needle + "\" in:\n" + haystack + "\n" + context);
    }
}
