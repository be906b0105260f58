package berth.runtime.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Resource limits on the unified hierarchy (cgroup v2), berth-runtime only: runc 1.1 uses v2 only when
 * /sys/fs/cgroup itself is cgroup2.
 *
 * <p>These machines are hybrid: v1 hierarchies per controller under /sys/fs/cgroup and an empty cgroup2
 * at /sys/fs/cgroup/unified. A controller can serve only one hierarchy at a time, so for these tests the
 * unused v1 hierarchies of cpu, cpuset, pids and blkio are unmounted, which hands the controllers (blkio
 * becomes io) to the unified
 * hierarchy, and berth-runtime is pointed at it with {@code --cgroup-root}. Afterwards the controllers are
 * taken back from the unified hierarchy and the v1 hierarchies are mounted again, as they were. The memory
 * controller stays on v1 (the machine's own supervisor lives in a memory cgroup there), so memory limits
 * are proven on v1 only; pids.max stands in for the limit that {@code update} raises.
 *
 * <p>On a host that already runs cgroup v2 at /sys/fs/cgroup, nothing is moved and that hierarchy is used.
 */
class CgroupV2Test extends CgroupChecks {
    private static final Path CGROUP = Path.of("/sys/fs/cgroup");
    private static final Path UNIFIED = CGROUP.resolve("unified");
    /** v1 hierarchies lent to v2, and the names of their controllers there. */
    private static final List<String> MOVED = List.of("cpu", "cpuset", "pids", "blkio");
    private static final java.util.Map<String, String> V2_NAME = java.util.Map.of("blkio", "io");
    private static final List<String> unmounted = new ArrayList<>();
    private static Path root;

    @BeforeAll
    static void unifiedHierarchyWithControllers() throws Exception {
        ItEnv.requirePreconditions();
        if (fsType(CGROUP).equals("cgroup2")) {
            root = CGROUP;
            return;
        }
        if (!fsType(UNIFIED).equals("cgroup2")) fail("neither " + CGROUP + " nor " + UNIFIED + " is a cgroup2 mount");
        for (String c : MOVED) {
            Path mount = CGROUP.resolve(c);
            if (!fsType(mount).equals("cgroup")) continue;
            // only a hierarchy without child cgroups goes away (and frees its controller) when unmounted
            try (var children = Files.list(mount)) {
                List<Path> dirs = children.filter(Files::isDirectory).toList();
                for (Path d : dirs) {
                    try {
                        Files.delete(d); // rmdir: an empty leftover cgroup
                    } catch (IOException e) {
                        fail("cgroup v1 hierarchy " + mount + " is in use (" + d + "): cannot lend " + c + " to cgroup v2");
                    }
                }
            }
            sh("umount " + mount);
            unmounted.add(c);
        }
        // a hierarchy whose last cgroups were removed moments ago is released once the kernel frees them
        long deadline = System.nanoTime() + 30_000_000_000L;
        List<String> wanted = unmounted.stream().map(c -> V2_NAME.getOrDefault(c, c)).toList();
        while (!Set.of(Files.readString(UNIFIED.resolve("cgroup.controllers")).trim().split("\\s+")).containsAll(wanted)) {
            if (System.nanoTime() > deadline) {
                fail("controllers " + unmounted + " did not reach " + UNIFIED + ": their v1 hierarchies still hold cgroups"
                        + " (being freed, or kept by unreaped processes); /proc/cgroups:\n" + Files.readString(Path.of("/proc/cgroups")));
            }
            Thread.sleep(50);
        }
        root = UNIFIED;
    }

    @AfterAll
    static void giveTheControllersBack() throws Exception {
        if (unmounted.isEmpty()) return;
        // the test cgroups are gone (each test deletes its containers); release the controllers, then
        // mount the v1 hierarchies again, retrying while the kernel still tears the v2 use down
        StringBuilder minus = new StringBuilder();
        for (String c : unmounted) minus.append(" -").append(V2_NAME.getOrDefault(c, c));
        long deadline = System.nanoTime() + 20_000_000_000L;
        List<String> failures = new ArrayList<>();
        for (String c : new ArrayList<>(unmounted)) {
            while (true) {
                sh("echo '" + minus.toString().trim() + "' > " + UNIFIED.resolve("cgroup.subtree_control") + " 2>/dev/null || true");
                if (sh("mount -t cgroup -o " + c + " cgroup " + CGROUP.resolve(c)) == 0) {
                    unmounted.remove(c);
                    break;
                }
                if (System.nanoTime() > deadline) {
                    failures.add(c);
                    break;
                }
                Thread.sleep(100);
            }
        }
        if (!failures.isEmpty()) fail("could not mount the cgroup v1 hierarchies " + failures + " again");
    }

    private static String fsType(Path mount) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] halves = line.split(" - ", 2);
            if (halves.length == 2 && halves[0].split(" ")[4].equals(mount.toString())) return halves[1].split(" ")[0];
        }
        return "";
    }

    private static int sh(String command) throws IOException, InterruptedException {
        return new ProcessBuilder("/bin/sh", "-c", command).inheritIO().start().waitFor();
    }

    private OciRuntime berth() {
        return runtime(RuntimeKind.BERTH).withGlobalFlags("--cgroup-root", root.toString());
    }

    /** Absolute, so the container's cgroup lies directly under the unified root, apart from the host's processes. */
    @Override
    protected void customize(Bundle b) {
        b.linux().put("cgroupsPath", "/berth-it-v2-" + b.dir().getFileName());
        // a cgroup namespace of its own: the container's /sys/fs/cgroup is a fresh cgroup2 mount of its cgroup
        b.namespace("cgroup");
    }

    @Test
    void cpuQuota() throws Exception {
        cpuQuotaHoldsABusyLoop(berth());
    }

    @Test
    void pidsLimit() throws Exception {
        pidsLimitContainsAForkBomb(berth());
    }

    @Test
    void pauseResume() throws Exception {
        pauseStopsACounter(berth());
    }

    @Test
    void updatePids() throws Exception {
        updateRaisesALimit(berth(), "{'pids':{'limit':32}}", "/sys/fs/cgroup/pids.max", "--pids-limit", "32", "64");
    }

    @Test
    void deviceDeny() throws Exception {
        devicesDenied(berth());
    }

    @Test
    void cpuset() throws Exception {
        cpusetPins(berth());
    }

    /** blkio weight 500 becomes io.weight 4950 (runc's conversion). */
    @Test
    void ioWeight() throws Exception {
        OciRuntime rt = berth();
        Bundle b = limited(rt, "{'blockIO':{'weight':500}}").sh("cat /sys/fs/cgroup/io.weight");
        assertTrue(output(rt, b).contains("default 4950"), "io.weight not written");
    }

    @Test
    void hugepageLimitAndUnifiedValues() throws Exception {
        OciRuntime rt = berth();
        Bundle b = limited(rt, "{'hugepageLimits':[{'pageSize':'2MB','limit':0}],'unified':{'pids.max':'42'}}")
                .sh("cat /sys/fs/cgroup/hugetlb.2MB.max /sys/fs/cgroup/pids.max");
        String out = output(rt, b);
        assertTrue(out.equals("0\n42\n"), out);
    }

    @Test
    void theContainerSeesItsOwnCgroupAsTheRoot() throws Exception {
        OciRuntime rt = berth();
        Bundle b = limited(rt, "{'pids':{'limit':50}}").sh("cat /proc/self/cgroup; cat /sys/fs/cgroup/pids.max");
        String out = output(rt, b);
        assertTrue(out.contains("0::/\n") && out.contains("50"), out);
    }
}
