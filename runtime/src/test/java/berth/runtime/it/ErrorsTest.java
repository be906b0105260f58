package berth.runtime.it;

import static berth.runtime.it.OciRuntime.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.runtime.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Failures: every runtime exits non-zero and leaves no state; berth-runtime additionally reports exactly one
 * line on stderr, {@code berth-runtime: VERB ID: what: ERRNO (text)} (runc's wording differs, so the message
 * format is asserted for berth only).
 */
class ErrorsTest extends ContainerTestBase {

    /** Asserts the single-line error for berth: prefix, and the fragments that must name the problem. */
    private static void assertOneLineError(OciRuntime rt, Result r, String prefix, String... fragments) {
        assertNotEquals(0, r.exitCode(), r::toString);
        assertFalse(r.stderr().isBlank(), r::toString);
        if (!rt.isBerth()) return;
        List<String> lines = r.stderrLines();
        assertEquals(1, lines.size(), () -> "exactly one line on stderr:\n" + r);
        assertTrue(lines.getFirst().startsWith(prefix), () -> "stderr must start with \"" + prefix + "\":\n" + r);
        for (String f : fragments) assertContains(lines.getFirst(), f, r);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void stateOfUnknownContainer(RuntimeKind kind) {
        OciRuntime rt = runtime(kind);
        Result r = rt.exec("state", "nonexistent");
        assertOneLineError(rt, r, "berth-runtime: state nonexistent: ");
        assertEquals("", r.stdout());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void verbsOnUnknownContainer(RuntimeKind kind) {
        OciRuntime rt = runtime(kind);
        assertOneLineError(rt, rt.exec("start", "nonexistent"), "berth-runtime: start nonexistent: ");
        assertOneLineError(rt, rt.exec("kill", "nonexistent", "KILL"), "berth-runtime: kill nonexistent: ");
        assertOneLineError(rt, rt.exec("delete", "nonexistent"), "berth-runtime: delete nonexistent: ");
        assertOneLineError(rt, rt.exec("exec", "nonexistent", "true"), "berth-runtime: exec nonexistent: ");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void emptyProcessArgs(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        Bundle b = bundle(rt);
        Map<String, Object> process = new LinkedHashMap<>();
        process.put("args", new ArrayList<>());
        process.put("cwd", "/");
        b.config().put("process", process);
        String id = newId();
        Result r = run(rt, b, id);
        assertOneLineError(rt, r, "berth-runtime: run " + id + ": ", "process.args");
        assertFalse(Files.exists(rt.stateRoot().resolve(id)), () -> "state left behind: " + rt.stateEntries());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void unknownFilesystemType(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        Bundle b = bundle(rt).args("true").mount("/x", "foo", "foo");
        String id = newId();
        Result r = run(rt, b, id);
        assertOneLineError(rt, r, "berth-runtime: run " + id + ": ", "mount foo on /x: ENODEV");
        assertFalse(Files.exists(rt.stateRoot().resolve(id)), () -> "state left behind: " + rt.stateEntries());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void missingExecutable(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        String id = newId();
        Result r = run(rt, bundle(rt).args("/nonexistent"), id);
        assertOneLineError(rt, r, "berth-runtime: run " + id + ": ", "/nonexistent", "ENOENT");
        assertFalse(Files.exists(rt.stateRoot().resolve(id)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void missingBundle(RuntimeKind kind) {
        OciRuntime rt = runtime(kind);
        String id = newId();
        Result r = rt.exec("create", "--bundle", work.resolve("no-such-bundle").toString(), id);
        assertOneLineError(rt, r, "berth-runtime: create " + id + ": ", "config.json");
        assertFalse(Files.exists(rt.stateRoot().resolve(id)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void invalidJson(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        Bundle b = bundle(rt);
        Files.writeString(b.dir().resolve("config.json"), "{\"ociVersion\": \"1.0.2\", \"process\": ");
        String id = newId();
        Result r = rt.exec("create", "--bundle", b.dir().toString(), id);
        assertOneLineError(rt, r, "berth-runtime: create " + id + ": ", "config.json");
        assertFalse(Files.exists(rt.stateRoot().resolve(id)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void errorsGoToTheJsonLog(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        Path log = work.resolve("runtime-log.json");
        Result r = rt.exec("--log", log.toString(), "--log-format", "json", "state", "nonexistent");
        assertNotEquals(0, r.exitCode(), r::toString);
        List<String> entries = Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        assertFalse(entries.isEmpty(), "log is empty");
        Map<String, Object> last = Json.parse(entries.getLast().getBytes(StandardCharsets.UTF_8), "log entry");
        assertEquals("error", last.get("level"), last::toString);
        assertContains(String.valueOf(last.get("msg")), "does not exist", last);
        assertTrue(last.get("time") instanceof String, last::toString);
    }
}
