package berth.runtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.runtime.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** OCI hooks: order, where they run, the state on their stdin, and timeouts. */
class HooksTest extends ContainerTestBase {
    private static final List<String> PHASES =
            List.of("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop");

    /**
     * Every hook appends its name to {@code order} and saves its stdin. All but startContainer resolve their
     * path in the runtime's mount namespace (host paths; createContainer runs in the container's mount
     * namespace before pivot_root, where the host's tree is still visible); startContainer resolves
     * {@code /bin/sh} inside the container (busybox) and writes through a bind mount of the same host
     * directory at {@code /hostdir}.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void hooksRunInOrderWithState(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        Path dir = hostDir("hooks");
        Bundle b = bundle(rt).sh("echo main; test -f /hostdir/startContainer.json && echo after-startContainer").bind(dir, "/hostdir");
        for (String phase : PHASES) {
            String d = phase.equals("startContainer") ? "/hostdir" : dir.toString();
            String script = "cat > " + d + "/" + phase + ".json; echo " + phase + " >> " + d + "/order";
            b.hook(phase, "/bin/sh", List.of("sh", "-c", script), 10);
        }
        String id = newId();
        Result r = run(rt, b, id);
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("main\nafter-startContainer", r.out(), r::toString);
        List<String> order = Files.readAllLines(dir.resolve("order"));
        if (rt.isBerth()) {
            assertEquals(PHASES, order, r::toString);
        } else {
            // runc 1.1.5 runs startContainer in its init after start has released it, concurrently with
            // poststart, so those two race there; the OCI order (startContainer before the user process,
            // poststart after it) is asserted strictly for berth.
            assertEquals(PHASES.subList(0, 3), order.subList(0, 3), r::toString);
            assertEquals(List.of("poststart", "startContainer"), order.subList(3, 5).stream().sorted().toList(), r::toString);
            assertEquals("poststop", order.get(5), r::toString);
        }

        Map<String, String> expectedStatus = Map.of("prestart", "creating", "createRuntime", "creating",
                "createContainer", "creating", "startContainer", "created", "poststart", "running", "poststop", "stopped");
        for (String phase : PHASES) {
            byte[] json = Files.readAllBytes(dir.resolve(phase + ".json"));
            Map<String, Object> state = Json.parse(json, phase + " stdin");
            assertEquals(id, state.get("id"), phase + ": " + state);
            if (phase.equals("poststart") && !rt.isBerth()) {
                // runc 1.1.5 reports whatever its init's state was when it read it: created or running.
                assertTrue(List.of("created", "running").contains(state.get("status")), phase + ": " + state);
            } else {
                assertEquals(expectedStatus.get(phase), state.get("status"), phase + ": " + state);
            }
            assertEquals(b.dir().toString(), state.get("bundle"), phase + ": " + state);
            if (!phase.equals("poststop")) {
                // The host's pid of the container process; runc 1.1.5 reports 1 to hooks it runs from its init.
                boolean inContainer = phase.equals("createContainer") || phase.equals("startContainer");
                long min = rt.isBerth() || !inContainer ? 2 : 1;
                assertTrue(((Number) state.get("pid")).longValue() >= min, phase + ": " + state);
            }
        }
    }

    /** A hook whose path only exists inside the rootfs: startContainer finds it, a host hook would not. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void startContainerResolvesItsPathInTheContainer(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        Path dir = hostDir("hooks");
        Bundle b = bundle(rt).args("true").bind(dir, "/hostdir");
        Path inner = b.rootfs().resolve("bin/only-in-container");
        Files.writeString(inner, "#!/bin/sh\nhostname > /hostdir/where\n");
        inner.toFile().setExecutable(true, false);
        b.hostname("hook-inside");
        b.hook("startContainer", "/bin/only-in-container", List.of("only-in-container"), 10);
        Result r = run(rt, b, newId());
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("hook-inside", Files.readString(dir.resolve("where")).strip(), "startContainer runs in the container's UTS namespace");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void hookTimeoutFailsCreateQuickly(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        Bundle b = bundle(rt).args("true");
        b.hook("prestart", "/bin/sleep", List.of("sleep", "10"), 1);
        String id = newId();
        Result r = run(rt, b, id);
        assertNotEquals(0, r.exitCode(), r::toString);
        assertTrue(r.elapsed().toMillis() < 8000, () -> "the 1 s hook timeout must end run well before the hook's 10 s:\n" + r);
        assertFalse(Files.exists(rt.stateRoot().resolve(id)), () -> "state left after a failed run: " + rt.stateEntries());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void failingPrestartHookFailsCreate(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        Bundle b = bundle(rt).sh("touch /ran");
        b.hook("prestart", "/bin/sh", List.of("sh", "-c", "echo hook-said-no >&2; exit 3"), 5);
        String id = newId();
        b.save();
        Result r = rt.exec("create", "--bundle", b.dir().toString(), id);
        assertNotEquals(0, r.exitCode(), r::toString);
        assertFalse(Files.exists(rt.stateRoot().resolve(id)), () -> "state left after a failed create: " + rt.stateEntries());
        assertFalse(Files.exists(b.rootfs().resolve("ran")));
    }
}
