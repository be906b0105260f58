package berth.runtime.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Resource limits on the host's cgroup v1 hierarchies, berth-runtime beside runc. */
class CgroupV1Test extends CgroupChecks {

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void cpuQuota(RuntimeKind kind) throws Exception {
        cpuQuotaHoldsABusyLoop(runtime(kind));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void memoryOom(RuntimeKind kind) throws Exception {
        memoryLimitOomKills(runtime(kind));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void oomEvent(RuntimeKind kind) throws Exception {
        oomIsReported(runtime(kind));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void pidsLimit(RuntimeKind kind) throws Exception {
        pidsLimitContainsAForkBomb(runtime(kind));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void pauseResume(RuntimeKind kind) throws Exception {
        pauseStopsACounter(runtime(kind));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void updateMemory(RuntimeKind kind) throws Exception {
        updateRaisesALimit(runtime(kind), "{'memory':{'limit':33554432}}", "/sys/fs/cgroup/memory/memory.limit_in_bytes", "--memory", "33554432", "67108864");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void cpuset(RuntimeKind kind) throws Exception {
        cpusetPins(runtime(kind));
    }

    /** The devices controller: with everything denied but the defaults, opening /dev/kmsg's node fails. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void deviceDeny(RuntimeKind kind) throws Exception {
        OciRuntime rt = runtime(kind);
        Bundle b = limited(rt, "{'devices':[{'allow':false,'access':'rwm'}]}")
                .sh("mknod /tmp/kmsg c 1 11 && head -c 1 /tmp/kmsg; echo rc=$?; head -c 1 /dev/zero | wc -c");
        b.capabilities(java.util.List.of("CAP_MKNOD", "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"));
        String out = output(rt, b);
        assertTrue(out.contains("rc=1") && out.trim().endsWith("1"), rt + ": " + out);
    }
}
