package berth.runtime.it;

import static berth.runtime.it.OciRuntime.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.runtime.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** exec into a running container: namespaces, environment, cwd, user, exit status, --process, -d. */
class ExecTest extends ContainerTestBase {

    /** Starts {@code sleep 60} detached and returns its id. */
    private String runningContainer(OciRuntime rt, Bundle b) {
        String id = newId();
        b.save();
        Result r = rt.exec("run", "-d", "--bundle", b.dir().toString(), id);
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("running", rt.status(id));
        return id;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void execJoinsTheInitsNamespaces(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        String id = runningContainer(rt, bundle(rt).args("sleep", "60").hostname("exec-host"));
        String script = "for n in pid mnt net ipc uts; do "
                + "if [ \"$(readlink /proc/1/ns/$n)\" = \"$(readlink /proc/self/ns/$n)\" ]; then echo $n=same; else echo $n=diff; fi; done; "
                + "readlink /proc/self/ns/pid; hostname; cat /proc/1/cmdline | tr '\\0' ' '; echo";
        Result r = rt.ok("exec", id, "sh", "-c", script);
        List<String> lines = r.stdout().lines().toList();
        assertEquals(List.of("pid=same", "mnt=same", "net=same", "ipc=same", "uts=same"), lines.subList(0, 5), r::toString);
        assertNotEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString(), lines.get(5), "not the host's pid namespace");
        assertEquals("exec-host", lines.get(6));
        assertEquals("sleep 60", lines.get(7).strip());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void execWithEnvCwdAndUser(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        String id = runningContainer(rt, bundle(rt).args("sleep", "60"));
        Result r = rt.ok("exec", "-e", "FOO=bar baz", "-e", "SECOND=2", "--cwd", "/tmp", "--user", "1000:1000", id,
                "sh", "-c", "echo \"$FOO|$SECOND\"; pwd; id -u; id -g; echo $PATH");
        List<String> lines = r.stdout().lines().toList();
        assertEquals(List.of("bar baz|2", "/tmp", "1000", "1000"), lines.subList(0, 4), r::toString);
        assertContains(lines.get(4), "/bin", r);

        Result root = rt.ok("exec", id, "sh", "-c", "id -u; pwd; grep CapEff /proc/self/status; grep NoNewPrivs /proc/self/status");
        assertEquals("0\n/\nCapEff:\t0000000020000420\nNoNewPrivs:\t1", root.out(), root::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void execExitStatusIsPassedThrough(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        String id = runningContainer(rt, bundle(rt).args("sleep", "60"));
        Result r = rt.exec("exec", id, "sh", "-c", "echo before; exit 7");
        assertEquals(7, r.exitCode(), r::toString);
        assertEquals("before", r.out());
        Result missing = rt.exec("exec", id, "/no/such/binary");
        assertNotEquals(0, missing.exitCode(), missing::toString);
        assertEquals("running", rt.status(id), "a failed exec leaves the container running");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void execArgumentsOfEveryLength(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        String id = runningContainer(rt, bundle(rt).args("sleep", "60"));
        // 7 bytes + NUL = 8: berth's executor took such an argument for the environment count (EINVAL).
        assertEquals("abcdefg", rt.ok("exec", id, "echo", "abcdefg").out());
        assertEquals("x", rt.ok("exec", id, "busybox", "echo", "x").out());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void execWithProcessFile(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        String id = runningContainer(rt, bundle(rt).args("sleep", "60"));
        Map<String, Object> process = new LinkedHashMap<>();
        process.put("terminal", false);
        process.put("user", new LinkedHashMap<>(Map.of("uid", 1000, "gid", 1000)));
        process.put("args", new ArrayList<>(List.of("sh", "-c", "echo from-process-file $WHO; id -u; pwd")));
        process.put("env", new ArrayList<>(List.of("PATH=/bin", "WHO=json")));
        process.put("cwd", "/tmp");
        Path file = work.resolve("process.json");
        Files.writeString(file, Json.write(process, true));
        Result r = rt.ok("exec", "--process", file.toString(), id);
        assertEquals("from-process-file json\n1000\n/tmp", r.out(), r::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void detachedExec(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        Bundle b = bundle(rt).args("sleep", "60");
        String id = runningContainer(rt, b);
        Result r = rt.exec("exec", "-d", id, "sh", "-c", "sleep 0.3; touch /tmp/detached-done");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.elapsed().toMillis() < 5000, r::toString);
        assertTrue(awaitFile(b.rootfs().resolve("tmp/detached-done"), Duration.ofSeconds(5)), "detached exec ran");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void execIntoAStoppedContainerFails(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        Bundle b = bundle(rt).args("true");
        String id = newId();
        create(rt, b, id);
        rt.ok("start", id);
        rt.awaitStatus(id, "stopped", Duration.ofSeconds(5));
        Result r = rt.exec("exec", id, "true");
        assertNotEquals(0, r.exitCode(), r::toString);
    }
}
