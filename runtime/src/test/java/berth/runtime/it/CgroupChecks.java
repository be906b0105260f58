package berth.runtime.it;

import berth.runtime.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Resource-limit checks measured from outside and inside the container, shared by the cgroup v1 tests
 * (berth-runtime beside runc) and the cgroup v2 tests (berth-runtime on the unified hierarchy).
 */
abstract class CgroupChecks extends ContainerTestBase {

    /** A bundle for {@code rt} whose linux.resources is {@code resources} (JSON, single quotes allowed). */
    protected Bundle limited(OciRuntime rt, String resources) throws IOException {
        Bundle b = bundle(rt);
        b.linux().put("resources", Json.parse(resources.replace('\'', '"').getBytes(StandardCharsets.UTF_8), "resources"));
        customize(b);
        return b;
    }

    /** Per-hierarchy adjustments (the v2 tests give an absolute cgroupsPath). */
    protected void customize(Bundle b) {}

    @SuppressWarnings("unchecked")
    protected static long cpuUsageNanos(OciRuntime rt, String id) {
        Result r = rt.ok("events", "--stats", id);
        Map<String, Object> ev = Json.parse(r.stdout().getBytes(StandardCharsets.UTF_8), "events");
        Map<String, Object> cpu = (Map<String, Object>) ((Map<String, Object>) ev.get("data")).get("cpu");
        return ((Number) ((Map<String, Object>) cpu.get("usage")).get("total")).longValue();
    }

    /** A quota of 20000 over a period of 100000 holds a busy loop to about 20% of one CPU. */
    protected void cpuQuotaHoldsABusyLoop(OciRuntime rt) throws Exception {
        Bundle b = limited(rt, "{'cpu':{'quota':20000,'period':100000}}").sh("while :; do :; done");
        String id = newId();
        assertEquals(0, run(rt, b, id, "-d").exitCode());
        Thread.sleep(300);
        long t0 = System.nanoTime(), u0 = cpuUsageNanos(rt, id);
        Thread.sleep(3000);
        long t1 = System.nanoTime(), u1 = cpuUsageNanos(rt, id);
        double share = (double) (u1 - u0) / (t1 - t0);
        assertTrue(share > 0.12 && share < 0.28, rt + ": busy loop used " + Math.round(share * 100) + "% of a CPU");
        rt.ok("delete", "--force", id);
    }

    /** A process that allocates past the memory limit is OOM-killed: exit status 137. */
    protected void memoryLimitOomKills(OciRuntime rt) throws Exception {
        Bundle b = limited(rt, "{'memory':{'limit':33554432}}").args("sh", "-c", "exec tail /dev/zero");
        Result r = run(rt, b, newId());
        assertEquals(137, r.exitCode(), r::toString);
    }

    /** The OOM kill is reported as an event while the container goes on. */
    protected void oomIsReported(OciRuntime rt) throws Exception {
        Bundle b = limited(rt, "{'memory':{'limit':33554432}}")
                .sh("sleep 1; tail /dev/zero; sleep 30");
        String id = newId();
        assertEquals(0, run(rt, b, id, "-d").exitCode());
        Process events = helper(new ProcessBuilder(rt.kind().binary().toString(), "--root", rt.stateRoot().toString(),
                "events", "--interval", "1s", id).redirectErrorStream(true).start());
        List<String> lines = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        var reader = new java.io.BufferedReader(new java.io.InputStreamReader(events.getInputStream(), StandardCharsets.UTF_8));
        String line;
        boolean oom = false;
        while (!oom && System.nanoTime() < deadline && (line = reader.readLine()) != null) {
            lines.add(line);
            oom = line.contains("\"type\":\"oom\"");
        }
        events.destroyForcibly();
        assertTrue(oom, rt + ": no oom event in " + lines);
        rt.ok("delete", "--force", id);
    }

    /** A fork bomb under pids.max 32 is contained; the container can still be killed and deleted. */
    protected void pidsLimitContainsAForkBomb(OciRuntime rt) throws Exception {
        Bundle b = limited(rt, "{'pids':{'limit':32}}").sh("bomb() { bomb | bomb & }; bomb 2>/dev/null; sleep 60");
        String id = newId();
        assertEquals(0, run(rt, b, id, "-d").exitCode());
        Thread.sleep(1500);
        Result ps = rt.ok("ps", "--format", "json", id);
        int count = Json.parse(("{\"p\":" + ps.out() + "}").getBytes(StandardCharsets.UTF_8), "ps").get("p") instanceof List<?> l ? l.size() : -1;
        assertTrue(count > 0 && count <= 32, rt + ": " + count + " processes under a limit of 32");
        // the host still forks
        assertEquals(0, new ProcessBuilder("/bin/true").start().waitFor());
        rt.ok("kill", "--all", id, "KILL");
        rt.awaitStatus(id, "stopped", Duration.ofSeconds(10));
        rt.ok("delete", id);
    }

    /** A frozen container's counter does not advance; after resume it does. */
    protected void pauseStopsACounter(OciRuntime rt) throws Exception {
        Bundle b = limited(rt, "{}").sh("i=0; while :; do i=$((i+1)); echo $i > /tmp/counter; sleep 0.05; done");
        String id = newId();
        assertEquals(0, run(rt, b, id, "-d").exitCode());
        Thread.sleep(500);
        rt.ok("pause", id);
        assertEquals("paused", rt.status(id));
        String frozen = java.nio.file.Files.readString(b.rootfs().resolve("tmp/counter"));
        Thread.sleep(600);
        assertEquals(frozen, java.nio.file.Files.readString(b.rootfs().resolve("tmp/counter")), rt + ": counter moved while paused");
        rt.ok("resume", id);
        assertEquals("running", rt.status(id));
        Thread.sleep(600);
        assertNotEquals(frozen, java.nio.file.Files.readString(b.rootfs().resolve("tmp/counter")), rt + ": counter stuck after resume");
        rt.ok("delete", "--force", id);
    }

    /** {@code update} changes a limit of a running container; the new value is in effect inside. */
    protected void updateRaisesALimit(OciRuntime rt, String resources, String file, String flag, String before, String after)
            throws Exception {
        Bundle b = limited(rt, resources).args("sleep", "60");
        String id = newId();
        assertEquals(0, run(rt, b, id, "-d").exitCode());
        // inside, the container's own cgroup is at /sys/fs/cgroup (v2) or /sys/fs/cgroup/<hierarchy> (v1)
        assertEquals(before, rt.ok("exec", id, "cat", file).out());
        rt.ok("update", flag, after, id);
        assertEquals(after, rt.ok("exec", id, "cat", file).out());
        rt.ok("delete", "--force", id);
    }

    /**
     * Device rules: with everything denied but runc's defaults, a node the container makes itself for
     * /dev/kmsg (1:11) cannot be opened, while /dev/zero can.
     */
    protected void devicesDenied(OciRuntime rt) throws Exception {
        Bundle b = limited(rt, "{'devices':[{'allow':false,'access':'rwm'}]}")
                .sh("mknod /tmp/kmsg c 1 11 && head -c 1 /tmp/kmsg; echo rc=$?; head -c 1 /dev/zero | wc -c");
        b.capabilities(List.of("CAP_MKNOD", "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"));
        String out = output(rt, b);
        assertTrue(out.contains("rc=1") && out.trim().endsWith("1"), rt + ": " + out);
    }

    /** cpuset pinning: the container may run on CPU 0 only. */
    protected void cpusetPins(OciRuntime rt) throws Exception {
        Bundle b = limited(rt, "{'cpu':{'cpus':'0'}}").sh("grep Cpus_allowed_list /proc/self/status");
        assertTrue(output(rt, b).contains("Cpus_allowed_list:\t0\n"), rt + ": not pinned to CPU 0");
    }
}
