package berth.runtime;

import berth.runtime.plan.Op;
import berth.runtime.plan.Plan;
import berth.sys.RecordingSyscalls;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runtime's side of the sync protocol, against the recording fake: no process is started. */
class LauncherTest {
    private final RecordingSyscalls sys = new RecordingSyscalls();
    private final Launcher launcher = new Launcher(sys, new ExecutorBinary(sys));
    private final Plan plan = new Plan(List.of(Op.cloneProcess(0), Op.waitGo(), Op.mkdirInRoot("/proc", 0755),
            Op.notify("ready"), Op.exec(List.of("sh"), List.of())));

    @Test
    void handsOverThePlanThenMapsIdsBeforeReleasingTheProcess() {
        int executorPid = sys.nextPid();
        // socketpair is the first descriptor pair handed out: the runtime's end is 100
        sys.willRead(100, "pid 4242").willRead(100, "ready");
        List<String> events = new ArrayList<>();
        var launched = launcher.launch(plan, Map.of(0, 0, 1, 1, 2, 2), 3, new Launcher.Events() {
            @Override
            public void onPid(int pid) {
                events.add("onPid " + pid);
                sys.writeFile("/proc/" + pid + "/uid_map", "0 1000 1\n");
            }
        });
        assertEquals(4242, launched.pid());
        assertEquals(100, launched.syncFd());
        assertEquals(List.of("onPid 4242"), events);

        var calls = sys.calls().stream().map(Object::toString).toList();
        int spawn = indexOf(calls, "spawn");
        int planWrite = indexOf(calls, "write [103");
        int reap = indexOf(calls, "waitpid [" + executorPid + "]");
        int map = indexOf(calls, "writeFile [/proc/4242/uid_map");
        int go = indexOf(calls, "write [100, go]");
        assertTrue(spawn < planWrite && planWrite < reap && reap < map && map < go, calls.toString());
        // the executor learns where its descriptors go from argv: PLAN_FD SYNC_FD DST=SRC...
        var spawnCall = sys.calls().get(spawn);
        List<?> argv = (List<?>) spawnCall.args().get(1);
        assertEquals(List.of("berth-executor", "3", "4"), argv.subList(0, 3));
        assertEquals(java.util.Set.of("0=0", "1=1", "2=2", "3=102", "4=101"), java.util.Set.copyOf(argv.subList(3, argv.size())));
    }

    @Test
    void anExecutorFailureNamesTheOperationAndErrnoAndKillsTheProcess() {
        sys.willRead(100, "pid 4242").willRead(100, "error 2 1");
        var e = assertThrows(LaunchException.class, () -> launcher.launch(plan, Map.of(), 3, new Launcher.Events() {}));
        assertEquals("mkdir /proc: EPERM (Operation not permitted)", e.getMessage());
        assertTrue(sys.names().contains("kill"));
        assertTrue(sys.calls().stream().anyMatch(c -> c.toString().equals("kill [4242, 9]")));
        assertTrue(sys.calls().stream().anyMatch(c -> c.toString().equals("close [100]")));
    }

    @Test
    void anExecutorThatDiesSilentlyIsReported() {
        var e = assertThrows(RuntimeError.class, () -> launcher.launch(plan, Map.of(), 3, new Launcher.Events() {}));
        assertEquals("the executor exited with status 0 before it was ready", e.getMessage());
    }

    private static int indexOf(List<String> calls, String prefix) {
        for (int i = 0; i < calls.size(); i++) if (calls.get(i).startsWith(prefix)) return i;
        throw new AssertionError("no call " + prefix + " in " + calls);
    }
}
