package berth.runtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** create / start / state / kill / delete / list / ps, run -d, and failed creates. */
class LifecycleTest extends ContainerTestBase {

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void createStartKillDelete(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        Bundle b = bundle(rt).sh("touch /marker; sleep 30");
        Path marker = b.rootfs().resolve("marker");
        Path pidFile = work.resolve("container.pid");
        String id = newId();

        create(rt, b, id, "--pid-file", pidFile.toString());
        Map<String, Object> state = rt.state(id);
        assertEquals("created", state.get("status"), state::toString);
        assertEquals(id, state.get("id"));
        assertEquals(b.dir().toString(), state.get("bundle"));
        assertTrue(state.get("ociVersion") instanceof String, state::toString);
        long pid = ((Number) state.get("pid")).longValue();
        assertTrue(pid > 1, state::toString);
        assertEquals(String.valueOf(pid), Files.readString(pidFile).strip(), "pid file");
        assertTrue(Files.exists(Path.of("/proc/" + pid)), "the container's init exists after create");

        OciRuntime.sleep(300);
        assertFalse(Files.exists(marker), "the user program must not run before start");
        assertTrue(rt.ok("list", "-q").stdout().lines().toList().contains(id));

        rt.ok("start", id);
        assertTrue(awaitFile(marker, Duration.ofSeconds(5)), "the user program runs after start");
        assertEquals("running", rt.status(id));
        assertEquals(pid, ((Number) rt.state(id).get("pid")).longValue());
        String ps = rt.ok("ps", "--format", "json", id).out();
        assertTrue(ps.matches("\\[[0-9, ]+]") && List.of(ps.replaceAll("[\\[\\] ]", "").split(",")).contains(String.valueOf(pid)),
                () -> "ps --format json: " + ps);

        Result deleteRunning = rt.exec("delete", id);
        assertNotEquals(0, deleteRunning.exitCode(), () -> "delete of a running container must fail:\n" + deleteRunning);
        assertEquals("running", rt.status(id));

        rt.ok("kill", id, "KILL");
        rt.awaitStatus(id, "stopped", Duration.ofSeconds(5));
        rt.ok("delete", id);

        Result gone = rt.exec("state", id);
        assertNotEquals(0, gone.exitCode(), gone::toString);
        assertFalse(Files.exists(rt.stateRoot().resolve(id)), "state directory removed by delete");
        assertFalse(rt.ok("list", "-q").stdout().lines().toList().contains(id));
        assertFalse(Files.exists(Path.of("/proc/" + pid)) && isZombieFree(pid), "init is gone");
    }

    private static boolean isZombieFree(long pid) {
        try {
            return !Files.readString(Path.of("/proc/" + pid + "/stat")).contains(") Z ");
        } catch (IOException e) {
            return false;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void featuresDescribesTheRuntime(RuntimeKind kind) {
        OciRuntime rt = runtime(kind);
        Map<String, Object> f = berth.runtime.Json.parse(rt.ok("features").stdout().getBytes(java.nio.charset.StandardCharsets.UTF_8), "features");
        assertEquals("1.0.0", f.get("ociVersionMin"), f::toString);
        assertTrue(String.valueOf(f.get("ociVersionMax")).startsWith("1."), f::toString);
        assertEquals(List.of("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"),
                f.get("hooks"), f::toString);
        assertTrue(((List<?>) f.get("mountOptions")).contains("rbind"), f::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void killBeforeStartStopsTheContainer(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        Bundle b = bundle(rt).sh("touch /marker; sleep 30");
        String id = newId();
        create(rt, b, id);
        rt.ok("kill", id, "KILL");
        rt.awaitStatus(id, "stopped", Duration.ofSeconds(5));
        assertNotEquals(0, rt.exec("start", id).exitCode(), "start of a stopped container fails");
        rt.ok("delete", id);
        assertFalse(Files.exists(b.rootfs().resolve("marker")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void failedCreateLeavesNothingBehind(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        Bundle b = bundle(rt).args("/nonexistent");
        String id = newId();
        b.save();
        Result r = rt.exec("create", "--bundle", b.dir().toString(), id);
        assertNotEquals(0, r.exitCode(), r::toString);
        assertFalse(r.stderr().isBlank(), r::toString);
        assertFalse(Files.exists(rt.stateRoot().resolve(id)), () -> "state left behind: " + rt.stateEntries());
        assertNotEquals(0, rt.exec("state", id).exitCode());
        assertFalse(rt.ok("list", "-q").stdout().lines().toList().contains(id));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void duplicateIdIsRefused(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        Bundle b = bundle(rt).args("sleep", "30");
        String id = newId();
        create(rt, b, id);
        Result again = rt.exec("create", "--bundle", b.dir().toString(), id);
        assertNotEquals(0, again.exitCode(), again::toString);
        assertEquals("created", rt.status(id), "the first container is untouched");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void detachedRunThenTerm(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        // PID 1 only gets SIGTERM from outside its namespace if it handles it: trap it.
        Bundle b = bundle(rt).sh("trap 'exit 3' TERM; sleep 60 & wait");
        String id = newId();
        b.save();
        Result r = rt.exec("run", "-d", "--bundle", b.dir().toString(), id);
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.elapsed().toMillis() < 5000, r::toString);
        assertEquals("running", rt.status(id));
        rt.ok("kill", id, "TERM");
        rt.awaitStatus(id, "stopped", Duration.ofSeconds(5));
        rt.ok("delete", id);
        assertFalse(Files.exists(rt.stateRoot().resolve(id)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void deleteForceKillsARunningContainer(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        Bundle b = bundle(rt).args("sleep", "60");
        String id = newId();
        b.save();
        assertEquals(0, rt.exec("run", "-d", "--bundle", b.dir().toString(), id).exitCode());
        long pid = ((Number) rt.state(id).get("pid")).longValue();
        rt.ok("delete", "--force", id);
        assertNotEquals(0, rt.exec("state", id).exitCode());
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (Files.exists(Path.of("/proc/" + pid)) && isZombieFree(pid) && System.nanoTime() < deadline) OciRuntime.sleep(20);
        assertFalse(Files.exists(Path.of("/proc/" + pid)) && isZombieFree(pid), "init killed by delete --force");
    }
}
