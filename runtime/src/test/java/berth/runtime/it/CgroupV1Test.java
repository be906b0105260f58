package berth.runtime.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

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

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void deviceDeny(RuntimeKind kind) throws Exception {
        devicesDenied(runtime(kind));
    }
}
