package berth.runtime;

import berth.runtime.plan.Monitor;
import berth.runtime.plan.Op;
import berth.runtime.plan.Plan;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runtime's side of the sync protocol against a scripted executor: no process is started. */
class LauncherTest {
    /** An executor whose messages are scripted and whose stdin is recorded. */
    static final class FakeExecutor implements ExecutorProcess {
        final ByteArrayOutputStream stdin = new ByteArrayOutputStream();
        /** Whether it is already gone when the plan is written (its stdin closed, as the JDK does then). */
        boolean exited;
        final List<String> log;
        final InputStream messages;
        boolean killed;
        /** Whether the runtime waited for the executor after it killed it. */
        boolean awaitedAfterKill;

        FakeExecutor(List<String> log, String... messages) {
            this.log = log;
            this.messages = new ByteArrayInputStream((String.join("\n", messages) + (messages.length > 0 ? "\n" : ""))
                    .getBytes(StandardCharsets.US_ASCII));
        }

        public long pid() { return 777; }
        public OutputStream commands() {
            return !exited ? stdin : new OutputStream() {
                public void write(int b) throws IOException { throw new IOException("Stream closed"); }
            };
        }
        public InputStream messages() { return messages; }
        public InputStream errors() { return InputStream.nullInputStream(); }
        public int waitFor() { return 0; }
        public int waitFor(long timeout, TimeUnit unit) {
            awaitedAfterKill |= killed;
            return 0;
        }
        public void kill() { killed = true; }
    }

    private final List<String> log = new ArrayList<>();
    private final Plan plan = new Plan(List.of(Op.cloneProcess(0, Monitor.NONE), Op.waitGo(), Op.mkdirInRoot("/proc", 0755),
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
        assertTrue(executor.awaitedAfterKill, "a monitoring executor is gone before the caller cleans up");
        assertEquals(List.of("kill 4242"), log); // the half-made container process, never a real pid here
    }

    @Test
    void aDescriptorThatCannotBeOpenedIsNamedWithItsPath() {
        Launcher launcher = launcher("error fd 1 2");
        var e = assertThrows(LaunchException.class, () -> launcher.launch(plan,
                Map.of(0, "or:/run/c/stdin", 1, "orw:/run/c/stdout"), new Launcher.Events() {}));
        assertEquals("open /run/c/stdout as descriptor 1: ENOENT (No such file or directory)", e.getMessage());
        assertEquals(2, e.errno());
        assertTrue(startedWith.containsAll(List.of("0=or:/run/c/stdin", "1=orw:/run/c/stdout")), startedWith::toString);
        assertEquals(List.of(), log); // no process was cloned, so none is killed
    }

    @Test
    void aFailureBeforeThePlanIsReadIsReportedAsTheExecutorSaidIt() {
        Launcher launcher = launcher("error fd 0 6");
        executor.exited = true;
        var e = assertThrows(LaunchException.class, () -> launcher.launch(plan, Map.of(0, "ow:/run/c/stdin"),
                new Launcher.Events() {}));
        assertEquals("open /run/c/stdin as descriptor 0: ENXIO (No such device or address)", e.getMessage());
        assertTrue(executor.awaitedAfterKill);
    }

    @Test
    void abandoningALaunchedProcessKillsItsExecutorAndWaitsForIt() {
        Launcher launcher = launcher("pid 4242", "ready");
        var launched = launcher.launch(plan, Map.of(), new Launcher.Events() {});
        launcher.abandon(launched);
        assertTrue(executor.killed);
        assertTrue(executor.awaitedAfterKill);
        assertEquals(List.of(), log, "the container process itself is the caller's");
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
