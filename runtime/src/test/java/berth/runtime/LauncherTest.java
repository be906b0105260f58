package berth.runtime;

import berth.runtime.plan.Op;
import berth.runtime.plan.Plan;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runtime's side of the sync protocol against a scripted executor: no process is started. */
class LauncherTest {
    /** An executor whose messages are scripted and whose stdin is recorded. */
    static final class FakeExecutor implements ExecutorProcess {
        final ByteArrayOutputStream stdin = new ByteArrayOutputStream();
        final List<String> log;
        final InputStream messages;
        boolean killed;

        FakeExecutor(List<String> log, String... messages) {
            this.log = log;
            this.messages = new ByteArrayInputStream((String.join("\n", messages) + (messages.length > 0 ? "\n" : ""))
                    .getBytes(StandardCharsets.US_ASCII));
        }

        public long pid() { return 777; }
        public OutputStream commands() { return stdin; }
        public InputStream messages() { return messages; }
        public InputStream errors() { return InputStream.nullInputStream(); }
        public int waitFor() { return 0; }
        public int waitFor(long timeout, TimeUnit unit) { return 0; }
        public void kill() { killed = true; }
    }

    private final List<String> log = new ArrayList<>();
    private final Plan plan = new Plan(List.of(Op.cloneProcess(0, false), Op.waitGo(), Op.mkdirInRoot("/proc", 0755),
            Op.notify("ready"), Op.exec(List.of("sh"), List.of())));

    private FakeExecutor executor;
    private List<String> startedWith;

    private Launcher launcher(String... messages) {
        executor = new FakeExecutor(log, messages);
        return new Launcher((args, captureStderr) -> {
            startedWith = args;
            return executor;
        }, pid -> log.add("kill " + pid));
    }

    @Test
    void handsOverThePlanThenMapsIdsBeforeReleasingTheProcess() {
        Launcher launcher = launcher("pid 4242", "ready");
        var launched = launcher.launch(plan, Map.of(0, "j0"), new Launcher.Events() {
            @Override
            public void onPid(int pid) {
                log.add("onPid " + pid + " after " + executor.stdin.size() + " bytes");
            }
        });
        assertEquals(4242, launched.pid());
        assertEquals(List.of(String.valueOf(ProcessHandle.current().pid()), "0=j0"), startedWith);
        // stdin starts with the plan, length-prefixed, then "go" once the pid is handled
        byte[] encoded = plan.encode();
        byte[] stdin = executor.stdin.toByteArray();
        assertEquals(encoded.length, ByteBuffer.wrap(stdin, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
        byte[] planBytes = java.util.Arrays.copyOfRange(stdin, 4, 4 + encoded.length);
        assertArrayEquals(encoded, planBytes);
        assertEquals("go\n", new String(stdin, 4 + encoded.length, stdin.length - 4 - encoded.length, StandardCharsets.US_ASCII));
        // the process is released ("go") only after the runtime's outside work for the new pid
        assertEquals(List.of("onPid 4242 after " + (4 + encoded.length) + " bytes"), log);
    }

    @Test
    void anExecutorFailureNamesTheOperationAndErrno() {
        Launcher launcher = launcher("pid 4242", "error 2 1");
        var e = assertThrows(LaunchException.class, () -> launcher.launch(plan, Map.of(), new Launcher.Events() {}));
        assertEquals("mkdir /proc: EPERM (Operation not permitted)", e.getMessage());
        assertTrue(executor.killed);
        assertEquals(List.of("kill 4242"), log); // the half-made container process, never a real pid here
    }

    @Test
    void anExecutorThatDiesSilentlyIsReported() {
        Launcher launcher = launcher();
        var e = assertThrows(RuntimeError.class, () -> launcher.launch(plan, Map.of(), new Launcher.Events() {}));
        assertEquals("the executor exited with status 0 before it was ready", e.getMessage());
    }

    @Test
    void aHookGetsItsStdinAfterThePlan() {
        Launcher launcher = launcher();
        Plan hook = new Plan(List.of(Op.closeFds(3), Op.resolveExec("/bin/true", ""), Op.exec(List.of("true"), List.of())));
        launcher.exec(hook, Map.of(1, "2"), "{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        byte[] stdin = executor.stdin.toByteArray();
        assertTrue(new String(stdin, StandardCharsets.ISO_8859_1).endsWith("{\"id\":\"x\"}"));
        assertEquals(List.of(String.valueOf(ProcessHandle.current().pid()), "1=2"), startedWith);
    }
}
