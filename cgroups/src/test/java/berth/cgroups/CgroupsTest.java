package berth.cgroups;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Detection, path resolution and the files each manager writes, against temporary directories. */
class CgroupsTest {
    private static final List<String> HYBRID = List.of(
            "35 25 0:30 / /sys/fs/cgroup rw - tmpfs tmpfs rw,mode=755",
            "36 35 0:31 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu",
            "37 35 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory",
            "38 35 0:33 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,name=systemd",
            "39 35 0:34 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw");
    private static final List<String> OWN = List.of("4:memory:/sandbox/1", "2:cpu:/", "1:name=systemd:/", "0::/");

    private static final DeviceFilter.Loader NO_DEVICES = (dir, prog) -> { throw new AssertionError("no device rules expected"); };

    @TempDir
    Path tmp;

    @Test
    void hybridHostUsesV1AndPlacesRelativePathsBelowOwnCgroup() {
        Cgroups c = Cgroups.parse(HYBRID, OWN, null, Path.of("/sys/fs/cgroup"));
        assertFalse(c.isV2());
        assertEquals(List.of("cpu", "memory", "systemd"), List.copyOf(c.v1().keySet()));
        var m = assertInstanceOf(V1Manager.class, c.manager("", "c1", NO_DEVICES));
        assertEquals(Path.of("/sys/fs/cgroup/memory/sandbox/1/c1"), m.directories().get("memory"));
        assertEquals(Path.of("/sys/fs/cgroup/cpu/c1"), m.directories().get("cpu"));
        assertEquals(Path.of("/sys/fs/cgroup/systemd/c1"), m.directories().get("systemd"));
        var abs = c.manager("/berth/c1", "c1", NO_DEVICES);
        assertEquals(Path.of("/sys/fs/cgroup/memory/berth/c1"), abs.directories().get("memory"));
        assertThrows(CgroupException.class, () -> c.manager("../escape", "c1", NO_DEVICES));
    }

    @Test
    void explicitRootSelectsTheUnifiedHierarchy() {
        Cgroups c = Cgroups.parse(HYBRID, OWN, Path.of("/sys/fs/cgroup/unified"), Path.of("/sys/fs/cgroup"));
        assertTrue(c.isV2());
        assertEquals(Map.of("", Path.of("/sys/fs/cgroup/unified/c1")), c.manager(null, "c1", NO_DEVICES).directories());
        assertEquals("--cgroup-root /tmp is not a cgroup2 mount",
                assertThrows(CgroupException.class, () -> Cgroups.parse(HYBRID, OWN, Path.of("/tmp"), Path.of("/sys/fs/cgroup"))).getMessage());
    }

    @Test
    void resourcesAreReadFromOciJson() {
        Resources r = Resources.fromOci(Map.of(
                "cpu", Map.of("quota", 20000L, "period", 100000L, "shares", 512L, "cpus", "0"),
                "memory", Map.of("limit", 33554432L, "swap", new BigInteger("18446744073709551615")),
                "pids", Map.of("limit", 32L),
                "devices", List.of(Map.of("allow", false, "access", "rwm"), Map.of("allow", true, "type", "c", "major", 1L, "minor", 3L, "access", "rw"))));
        assertEquals(20000L, r.cpu().quota());
        assertEquals(-1L, r.memory().swap());
        assertEquals(32L, r.pidsLimit());
        assertEquals("a *:* rwm", r.devices().get(0).v1());
        assertEquals("c 1:3 rw", r.devices().get(1).v1());
        assertEquals("linux.resources: \"shares\" must be an integer, got 1.5",
                assertThrows(IllegalArgumentException.class, () -> Resources.fromOci(Map.of("cpu", Map.of("shares", 1.5)))).getMessage());
    }

    /** A directory that looks like a cgroup to the manager: the control files exist, as the kernel makes them. */
    private static Path fakeCgroup(Path dir, String... files) throws IOException {
        Files.createDirectories(dir);
        for (String f : files) Files.writeString(dir.resolve(f), "");
        return dir;
    }

    @Test
    void v1WritesThePeriodBeforeTheQuotaAndOrdersMemoryAndSwap() throws IOException {
        Path cpu = fakeCgroup(tmp.resolve("cpu/c1"), "cpu.shares", "cpu.cfs_period_us", "cpu.cfs_quota_us", "cgroup.procs");
        Path mem = fakeCgroup(tmp.resolve("memory/c1"), "memory.limit_in_bytes", "memory.memsw.limit_in_bytes",
                "memory.swappiness", "cgroup.procs");
        Files.writeString(mem.resolve("memory.memsw.limit_in_bytes"), "9223372036854771712");
        Path pids = fakeCgroup(tmp.resolve("pids/c1"), "pids.max", "cgroup.procs");
        var m = new V1Manager(Map.of("cpu", tmp.resolve("cpu"), "memory", tmp.resolve("memory"), "pids", tmp.resolve("pids")),
                Map.of("cpu", "/c1", "memory", "/c1", "pids", "/c1"));
        m.create(new Resources(new Resources.Cpu(512L, 20000L, 100000L, null, null, null, null, null),
                new Resources.Memory(33554432L, null, 67108864L, 0L, null), 32L, null, List.of(), List.of(), null, Map.of()));
        assertEquals("512", Files.readString(cpu.resolve("cpu.shares")));
        assertEquals("20000", Files.readString(cpu.resolve("cpu.cfs_quota_us")));
        assertEquals("100000", Files.readString(cpu.resolve("cpu.cfs_period_us")));
        assertEquals("33554432", Files.readString(mem.resolve("memory.limit_in_bytes")));
        assertEquals("67108864", Files.readString(mem.resolve("memory.memsw.limit_in_bytes")));
        assertEquals("0", Files.readString(mem.resolve("memory.swappiness")));
        assertEquals("32", Files.readString(pids.resolve("pids.max")));
        m.join(4242);
        assertEquals("4242", Files.readString(cpu.resolve("cgroup.procs")));
        assertEquals("the hugetlb cgroup controller is not mounted on this host (needed for hugetlb.2MB.limit_in_bytes)",
                assertThrows(CgroupException.class, () -> m.apply(new Resources(null, null, null, null,
                        List.of(new Resources.HugepageLimit("2MB", 1)), List.of(), null, Map.of()))).getMessage());
    }

    @Test
    void v2ConvertsV1ShapedValuesAsRuncDoes() throws IOException {
        Path root = fakeCgroup(tmp, "cgroup.controllers", "cgroup.subtree_control");
        Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu io memory pids rdma");
        Path dir = fakeCgroup(tmp.resolve("c1"), "cpu.weight", "cpu.max", "memory.max", "memory.swap.max", "pids.max", "io.weight", "cgroup.procs");
        List<String> attached = new java.util.ArrayList<>();
        var m = new V2Manager(root, "/c1", (d, prog) -> attached.add(d + " " + prog.length / 8));
        m.create(new Resources(new Resources.Cpu(1024L, 20000L, 100000L, null, null, null, null, null),
                new Resources.Memory(33554432L, null, 67108864L, null, null), -1L,
                new Resources.BlockIo(500L, null, List.of(), List.of(), List.of(), List.of(), List.of()), List.of(),
                List.of(new Resources.DeviceRule(false, null, null, null, "rwm")), null, Map.of()));
        assertEquals(List.of(dir + " 8"), attached); // deny everything: the prologue of 6, then R0 = 0 and exit
        assertEquals("+cpu +cpuset +io +memory +pids", sorted(Files.readString(root.resolve("cgroup.subtree_control"))));
        assertEquals("39", Files.readString(dir.resolve("cpu.weight")));
        assertEquals("20000 100000", Files.readString(dir.resolve("cpu.max")));
        assertEquals("33554432", Files.readString(dir.resolve("memory.max")));
        assertEquals("33554432", Files.readString(dir.resolve("memory.swap.max")));
        assertEquals("max", Files.readString(dir.resolve("pids.max")));
        assertEquals("4950", Files.readString(dir.resolve("io.weight")));
        assertEquals(1, V2Manager.sharesToWeight(2));
        assertEquals(10000, V2Manager.sharesToWeight(262144));
        assertEquals(1, V2Manager.blkioToIoWeight(10));
        assertEquals(10000, V2Manager.blkioToIoWeight(1000));
        assertEquals("memory.swap (1) must be at least memory.limit (2)",
                assertThrows(CgroupException.class, () -> V2Manager.swapMax(2, 1)).getMessage());
    }

    private static String sorted(String s) {
        return String.join(" ", java.util.Arrays.stream(s.trim().split("\\s+")).sorted().toList());
    }
}
