package berth.cgroups;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * cgroup v1: one directory per hierarchy (each mounted with its own controllers), the same relative path
 * in each. Controllers follow runc's fs driver: the same files, the same order of writes.
 */
public final class V1Manager implements CgroupManager {
    /** hierarchy name (its directory under the cgroup root, e.g. "cpu", "memory", "systemd") -> mount point. */
    private final Map<String, Path> hierarchies;
    /** hierarchy name -> the container's directory in it. */
    private final Map<String, Path> dirs = new LinkedHashMap<>();

    /**
     * @param hierarchies hierarchy name to its mount point (v1 mounts of the host)
     * @param paths       hierarchy name to the container's cgroup path inside it (absolute within the hierarchy)
     */
    public V1Manager(Map<String, Path> hierarchies, Map<String, String> paths) {
        this.hierarchies = Map.copyOf(hierarchies);
        hierarchies.forEach((name, mount) -> dirs.put(name, mount.resolve(paths.get(name).replaceFirst("^/+", ""))));
    }

    private Path dir(String controller) {
        return dirs.get(controller);
    }

    @Override
    public Map<String, Path> directories() {
        return Map.copyOf(dirs);
    }

    @Override
    public void create(Resources resources) {
        dirs.forEach((name, dir) -> {
            if (name.equals("cpuset")) {
                createCpuset(hierarchies.get(name), dir);
            } else {
                CgroupFiles.mkdirs(dir);
            }
        });
        apply(resources);
    }

    /** A new cpuset cgroup has no cpus and no mems: each level inherits its parent's (runc does the same). */
    private static void createCpuset(Path root, Path dir) {
        List<Path> chain = new ArrayList<>();
        for (Path p = dir; p != null && !p.equals(root); p = p.getParent()) chain.addFirst(p);
        for (Path p : chain) {
            CgroupFiles.mkdirs(p);
            for (String f : List.of("cpuset.cpus", "cpuset.mems")) {
                if (CgroupFiles.read(p, f).isEmpty()) CgroupFiles.write(p, f, CgroupFiles.read(p.getParent(), f));
            }
        }
    }

    @Override
    public void apply(Resources r) {
        if (r.cpu() != null) cpu(r.cpu());
        if (r.memory() != null) memory(r.memory());
        if (r.pidsLimit() != null && r.pidsLimit() != 0) {
            write("pids", "pids.max", r.pidsLimit() > 0 ? String.valueOf(r.pidsLimit()) : "max");
        }
        if (r.blockIo() != null) blkio(r.blockIo());
        for (var h : r.hugepageLimits()) write("hugetlb", "hugetlb." + h.pageSize() + ".limit_in_bytes", String.valueOf(h.limit()));
        if (!r.devices().isEmpty()) devices(r.devices());
        if (r.network() != null) {
            if (r.network().classId() != null) write("net_cls", "net_cls.classid", String.valueOf(r.network().classId()));
            r.network().priorities().forEach((ifname, prio) -> write("net_prio", "net_prio.ifpriomap", ifname + " " + prio));
        }
        if (!r.unified().isEmpty()) throw new CgroupException("linux.resources.unified needs cgroup v2; this host runs cgroup v1");
    }

    private void cpu(Resources.Cpu c) {
        if (c.shares() != null && c.shares() != 0) write("cpu", "cpu.shares", String.valueOf(c.shares()));
        // the period first: a quota is checked against the period in force
        if (c.period() != null && c.period() != 0) write("cpu", "cpu.cfs_period_us", String.valueOf(c.period()));
        if (c.quota() != null && c.quota() != 0) write("cpu", "cpu.cfs_quota_us", String.valueOf(c.quota() < 0 ? -1 : c.quota()));
        if (c.realtimePeriod() != null && c.realtimePeriod() != 0) write("cpu", "cpu.rt_period_us", String.valueOf(c.realtimePeriod()));
        if (c.realtimeRuntime() != null && c.realtimeRuntime() != 0) write("cpu", "cpu.rt_runtime_us", String.valueOf(c.realtimeRuntime()));
        if (c.idle() != null && c.idle() != 0) write("cpu", "cpu.idle", String.valueOf(c.idle()));
        if (c.cpus() != null && !c.cpus().isEmpty()) write("cpuset", "cpuset.cpus", c.cpus());
        if (c.mems() != null && !c.mems().isEmpty()) write("cpuset", "cpuset.mems", c.mems());
    }

    private void memory(Resources.Memory m) {
        Long limit = m.limit(), swap = m.swap();
        // memory.memsw.limit_in_bytes must stay >= memory.limit_in_bytes: order the writes accordingly
        boolean swapFirst = swap != null && swap != 0 && limit != null && limit != 0
                && (swap == -1 || (CgroupFiles.has(dir("memory"), "memory.memsw.limit_in_bytes")
                && swap > CgroupFiles.readLong(dir("memory"), "memory.memsw.limit_in_bytes")));
        if (swapFirst) write("memory", "memory.memsw.limit_in_bytes", String.valueOf(swap));
        if (limit != null && limit != 0) write("memory", "memory.limit_in_bytes", String.valueOf(limit));
        if (!swapFirst && swap != null && swap != 0) write("memory", "memory.memsw.limit_in_bytes", String.valueOf(swap));
        if (m.reservation() != null && m.reservation() != 0) write("memory", "memory.soft_limit_in_bytes", String.valueOf(m.reservation()));
        if (m.swappiness() != null && m.swappiness() >= 0 && m.swappiness() <= 100) {
            write("memory", "memory.swappiness", String.valueOf(m.swappiness()));
        }
        if (Boolean.TRUE.equals(m.disableOomKiller())) write("memory", "memory.oom_control", "1");
    }

    private void blkio(Resources.BlockIo b) {
        String weightFile = CgroupFiles.has(dir("blkio"), "blkio.weight") ? "blkio.weight" : "blkio.bfq.weight";
        if (b.weight() != null && b.weight() != 0) write("blkio", weightFile, String.valueOf(b.weight()));
        if (b.leafWeight() != null && b.leafWeight() != 0) write("blkio", "blkio.leaf_weight", String.valueOf(b.leafWeight()));
        for (var d : b.weightDevice()) {
            if (d.weight() != null) write("blkio", weightFile.replace("weight", "weight_device"), d.major() + ":" + d.minor() + " " + d.weight());
        }
        for (var d : b.readBps()) write("blkio", "blkio.throttle.read_bps_device", d.major() + ":" + d.minor() + " " + d.rate());
        for (var d : b.writeBps()) write("blkio", "blkio.throttle.write_bps_device", d.major() + ":" + d.minor() + " " + d.rate());
        for (var d : b.readIops()) write("blkio", "blkio.throttle.read_iops_device", d.major() + ":" + d.minor() + " " + d.rate());
        for (var d : b.writeIops()) write("blkio", "blkio.throttle.write_iops_device", d.major() + ":" + d.minor() + " " + d.rate());
    }

    /** The rules in order, as the devices controller takes them: each to devices.allow or devices.deny. */
    private void devices(List<Resources.DeviceRule> rules) {
        for (var rule : rules) write("devices", rule.allow() ? "devices.allow" : "devices.deny", rule.v1());
    }

    private void write(String controller, String file, String value) {
        Path d = dir(controller);
        if (d == null) throw new CgroupException("the " + controller + " cgroup controller is not mounted on this host (needed for " + file + ")");
        CgroupFiles.write(d, file, value);
    }

    @Override
    public void join(int pid) {
        dirs.values().forEach(d -> CgroupFiles.write(d, "cgroup.procs", String.valueOf(pid)));
    }

    @Override
    public List<Integer> pids() {
        Path d = dirs.containsKey("pids") ? dir("pids") : dirs.values().iterator().next();
        return CgroupFiles.pids(d);
    }

    @Override
    public void freeze() {
        setFreezer("FROZEN");
    }

    @Override
    public void thaw() {
        setFreezer("THAWED");
    }

    private void setFreezer(String state) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            write("freezer", "freezer.state", state);
            if (CgroupFiles.read(dir("freezer"), "freezer.state").equals(state)) return;
            if (System.nanoTime() > deadline) throw new CgroupException("freezer of " + dir("freezer") + " did not reach " + state);
            Thread.onSpinWait();
        }
    }

    @Override
    public boolean frozen() {
        return dir("freezer") != null && Files.isDirectory(dir("freezer"))
                && CgroupFiles.read(dir("freezer"), "freezer.state").equals("FROZEN");
    }

    @Override
    public Map<String, Object> stats() {
        Map<String, Object> out = new LinkedHashMap<>();
        Path cpuacct = dir("cpuacct"), cpu = dir("cpu"), mem = dir("memory"), pids = dir("pids");
        Map<String, Object> cpuStats = new LinkedHashMap<>();
        if (cpuacct != null && Files.isDirectory(cpuacct)) {
            Map<String, Object> usage = new LinkedHashMap<>();
            usage.put("total", CgroupFiles.readLong(cpuacct, "cpuacct.usage"));
            List<Long> percpu = new ArrayList<>();
            for (String v : CgroupFiles.read(cpuacct, "cpuacct.usage_percpu").split("\\s+")) if (!v.isEmpty()) percpu.add(Long.parseLong(v));
            usage.put("percpu", percpu);
            Map<String, Long> st = CgroupFiles.keyValues(cpuacct, "cpuacct.stat");
            long tick = 10_000_000L; // USER_HZ 100: ticks to nanoseconds
            usage.put("kernel", st.getOrDefault("system", 0L) * tick);
            usage.put("user", st.getOrDefault("user", 0L) * tick);
            cpuStats.put("usage", usage);
        }
        if (cpu != null && Files.isDirectory(cpu)) {
            Map<String, Long> st = CgroupFiles.keyValues(cpu, "cpu.stat");
            cpuStats.put("throttling", Map.of("periods", st.getOrDefault("nr_periods", 0L),
                    "throttledPeriods", st.getOrDefault("nr_throttled", 0L), "throttledTime", st.getOrDefault("throttled_time", 0L)));
        }
        out.put("cpu", cpuStats);
        if (mem != null && Files.isDirectory(mem)) {
            Map<String, Object> memStats = new LinkedHashMap<>();
            memStats.put("usage", memoryEntry(mem, "memory"));
            if (CgroupFiles.has(mem, "memory.memsw.usage_in_bytes")) memStats.put("swap", memoryEntry(mem, "memory.memsw"));
            if (CgroupFiles.has(mem, "memory.kmem.usage_in_bytes")) memStats.put("kernel", memoryEntry(mem, "memory.kmem"));
            memStats.put("raw", CgroupFiles.keyValues(mem, "memory.stat"));
            out.put("memory", memStats);
        }
        if (pids != null && Files.isDirectory(pids)) {
            out.put("pids", Map.of("current", CgroupFiles.readLong(pids, "pids.current"), "limit", Math.max(0, CgroupFiles.readLong(pids, "pids.max"))));
        }
        return out;
    }

    private static Map<String, Object> memoryEntry(Path mem, String prefix) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("limit", CgroupFiles.readLong(mem, prefix + ".limit_in_bytes"));
        m.put("usage", CgroupFiles.readLong(mem, prefix + ".usage_in_bytes"));
        m.put("max", CgroupFiles.readLong(mem, prefix + ".max_usage_in_bytes"));
        m.put("failcnt", CgroupFiles.readLong(mem, prefix + ".failcnt"));
        return m;
    }

    @Override
    public long oomKills() {
        Path mem = dir("memory");
        if (mem == null || !Files.isDirectory(mem)) return 0;
        return CgroupFiles.keyValues(mem, "memory.oom_control").getOrDefault("oom_kill", 0L);
    }

    @Override
    public boolean exists() {
        return dirs.values().stream().anyMatch(Files::isDirectory);
    }

    @Override
    public void destroy(IntConsumer kill) {
        if (!exists()) return;
        if (frozen()) thaw(); // a frozen process cannot die
        for (int i = 0; i < 50; i++) {
            List<Integer> left = pids();
            if (left.isEmpty()) break;
            left.forEach(kill::accept);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        dirs.values().forEach(CgroupFiles::removeTree);
    }
}
