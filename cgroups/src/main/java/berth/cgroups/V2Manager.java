package berth.cgroups;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * cgroup v2: one directory in the unified hierarchy. The v1-shaped values of the OCI spec are converted as
 * runc and crun convert them (cpu shares to weight, blkio weight to io weight, swap to swap.max).
 */
public final class V2Manager implements CgroupManager {
    private static final Set<String> WANTED = Set.of("cpu", "cpuset", "memory", "pids", "io", "hugetlb", "misc");
    private final Path root;
    private final Path dir;
    private final DeviceFilter.Loader devices;

    /**
     * @param root the cgroup2 mount point
     * @param path the container's cgroup, absolute within the hierarchy
     */
    public V2Manager(Path root, String path, DeviceFilter.Loader devices) {
        this.root = root;
        this.dir = root.resolve(path.replaceFirst("^/+", ""));
        this.devices = devices;
    }

    @Override
    public Map<String, Path> directories() {
        return Map.of("", dir);
    }

    @Override
    public void create(Resources resources) {
        // every ancestor hands the controllers down (subtree_control), from the root to the parent
        List<Path> chain = new ArrayList<>();
        for (Path p = dir; p != null && !p.equals(root); p = p.getParent()) chain.addFirst(p);
        Path parent = root;
        for (Path p : chain) {
            enableControllers(parent);
            CgroupFiles.mkdirs(p);
            parent = p;
        }
        apply(resources);
    }

    private static void enableControllers(Path parent) {
        Set<String> available = Set.of(CgroupFiles.read(parent, "cgroup.controllers").split("\\s+"));
        Set<String> enabled = Set.of(CgroupFiles.read(parent, "cgroup.subtree_control").split("\\s+"));
        StringBuilder sb = new StringBuilder();
        for (String c : available) {
            if (WANTED.contains(c) && !enabled.contains(c)) sb.append(sb.isEmpty() ? "" : " ").append('+').append(c);
        }
        if (!sb.isEmpty()) CgroupFiles.write(parent, "cgroup.subtree_control", sb.toString());
    }

    /** runc's conversion of cpu.shares [2, 262144] to cpu.weight [1, 10000]. */
    static long sharesToWeight(long shares) {
        return shares == 0 ? 0 : 1 + ((shares - 2) * 9999) / 262142;
    }

    /** runc's conversion of blkio.weight [10, 1000] to io.weight [1, 10000]. */
    static long blkioToIoWeight(long weight) {
        return weight == 0 ? 0 : 1 + (weight - 10) * 9999 / 990;
    }

    /** OCI memory.swap is memory + swap; cgroup v2 limits swap alone. */
    static String swapMax(long limit, long swap) {
        if (swap == -1) return "max";
        if (limit == -1 || limit == 0) throw new CgroupException("memory.swap needs memory.limit on cgroup v2");
        if (swap < limit) throw new CgroupException("memory.swap (" + swap + ") must be at least memory.limit (" + limit + ")");
        return String.valueOf(swap - limit);
    }

    @Override
    public void apply(Resources r) {
        var c = r.cpu();
        if (c != null) {
            if (c.shares() != null && c.shares() != 0) write("cpu.weight", String.valueOf(sharesToWeight(c.shares())));
            if ((c.quota() != null && c.quota() != 0) || (c.period() != null && c.period() != 0)) {
                String quota = c.quota() == null || c.quota() <= 0 ? "max" : String.valueOf(c.quota());
                long period = c.period() == null || c.period() == 0 ? 100_000 : c.period();
                write("cpu.max", quota + " " + period);
            }
            if (c.idle() != null && c.idle() != 0) write("cpu.idle", String.valueOf(c.idle()));
            if (c.cpus() != null && !c.cpus().isEmpty()) write("cpuset.cpus", c.cpus());
            if (c.mems() != null && !c.mems().isEmpty()) write("cpuset.mems", c.mems());
            if (c.realtimeRuntime() != null && c.realtimeRuntime() != 0) throw new CgroupException("realtime cpu limits are not available on cgroup v2");
        }
        var m = r.memory();
        if (m != null) {
            long limit = m.limit() == null ? 0 : m.limit();
            if (m.swap() != null && m.swap() != 0) write("memory.swap.max", swapMax(limit, m.swap()));
            if (limit != 0) write("memory.max", limit < 0 ? "max" : String.valueOf(limit));
            if (m.reservation() != null && m.reservation() != 0) write("memory.low", m.reservation() < 0 ? "max" : String.valueOf(m.reservation()));
            if (Boolean.TRUE.equals(m.disableOomKiller())) throw new CgroupException("disableOOMKiller is not available on cgroup v2");
        }
        if (r.pidsLimit() != null && r.pidsLimit() != 0) write("pids.max", r.pidsLimit() > 0 ? String.valueOf(r.pidsLimit()) : "max");
        var b = r.blockIo();
        if (b != null) {
            String weightFile = CgroupFiles.has(dir, "io.weight") ? "io.weight" : "io.bfq.weight";
            boolean bfq = weightFile.equals("io.bfq.weight");
            if (b.weight() != null && b.weight() != 0) write(weightFile, String.valueOf(bfq ? b.weight() : blkioToIoWeight(b.weight())));
            for (var d : b.weightDevice()) {
                if (d.weight() != null) write(weightFile, d.major() + ":" + d.minor() + " " + (bfq ? d.weight() : blkioToIoWeight(d.weight())));
            }
            for (var d : b.readBps()) write("io.max", d.major() + ":" + d.minor() + " rbps=" + d.rate());
            for (var d : b.writeBps()) write("io.max", d.major() + ":" + d.minor() + " wbps=" + d.rate());
            for (var d : b.readIops()) write("io.max", d.major() + ":" + d.minor() + " riops=" + d.rate());
            for (var d : b.writeIops()) write("io.max", d.major() + ":" + d.minor() + " wiops=" + d.rate());
        }
        for (var h : r.hugepageLimits()) write("hugetlb." + h.pageSize() + ".max", String.valueOf(h.limit()));
        if (r.network() != null && (r.network().classId() != null || !r.network().priorities().isEmpty())) {
            throw new CgroupException("network classID and priorities need cgroup v1 (net_cls, net_prio)");
        }
        r.unified().forEach((file, value) -> {
            if (file.contains("/") || file.startsWith(".")) throw new CgroupException("linux.resources.unified: invalid file name \"" + file + "\"");
            write(file, value);
        });
        // Device rules: an eBPF program attached to the cgroup. Programs attached earlier stay (every one
        // must allow an access), so update can narrow device access but not widen it.
        if (!r.devices().isEmpty()) devices.attach(dir, DeviceFilter.compile(r.devices()));
    }

    private void write(String file, String value) {
        CgroupFiles.write(dir, file, value);
    }

    @Override
    public void join(int pid) {
        write("cgroup.procs", String.valueOf(pid));
    }

    @Override
    public List<Integer> pids() {
        return CgroupFiles.pids(dir);
    }

    @Override
    public void freeze() {
        setFrozen(true);
    }

    @Override
    public void thaw() {
        setFrozen(false);
    }

    private void setFrozen(boolean frozen) {
        write("cgroup.freeze", frozen ? "1" : "0");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (frozen() != frozen) {
            if (System.nanoTime() > deadline) throw new CgroupException(dir + " did not " + (frozen ? "freeze" : "thaw"));
            Thread.onSpinWait();
        }
    }

    @Override
    public boolean frozen() {
        return Files.isDirectory(dir) && CgroupFiles.keyValues(dir, "cgroup.events").getOrDefault("frozen", 0L) == 1;
    }

    @Override
    public Map<String, Object> stats() {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Long> cpu = CgroupFiles.keyValues(dir, "cpu.stat");
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("total", cpu.getOrDefault("usage_usec", 0L) * 1000);
        usage.put("kernel", cpu.getOrDefault("system_usec", 0L) * 1000);
        usage.put("user", cpu.getOrDefault("user_usec", 0L) * 1000);
        out.put("cpu", Map.of("usage", usage, "throttling", Map.of("periods", cpu.getOrDefault("nr_periods", 0L),
                "throttledPeriods", cpu.getOrDefault("nr_throttled", 0L), "throttledTime", cpu.getOrDefault("throttled_usec", 0L) * 1000)));
        if (CgroupFiles.has(dir, "memory.current")) {
            Map<String, Object> mem = new LinkedHashMap<>();
            mem.put("usage", Map.of("usage", CgroupFiles.readLong(dir, "memory.current"),
                    "limit", CgroupFiles.readLong(dir, "memory.max"),
                    "max", CgroupFiles.has(dir, "memory.peak") ? CgroupFiles.readLong(dir, "memory.peak") : 0L,
                    "failcnt", CgroupFiles.keyValues(dir, "memory.events").getOrDefault("max", 0L)));
            if (CgroupFiles.has(dir, "memory.swap.current")) {
                mem.put("swap", Map.of("usage", CgroupFiles.readLong(dir, "memory.swap.current"), "limit", CgroupFiles.readLong(dir, "memory.swap.max")));
            }
            mem.put("raw", CgroupFiles.keyValues(dir, "memory.stat"));
            out.put("memory", mem);
        }
        if (CgroupFiles.has(dir, "pids.current")) {
            out.put("pids", Map.of("current", CgroupFiles.readLong(dir, "pids.current"), "limit", Math.max(0, CgroupFiles.readLong(dir, "pids.max"))));
        }
        return out;
    }

    @Override
    public long oomKills() {
        return CgroupFiles.keyValues(dir, "memory.events").getOrDefault("oom_kill", 0L);
    }

    @Override
    public boolean exists() {
        return Files.isDirectory(dir);
    }

    @Override
    public void destroy(IntConsumer kill) {
        if (!exists()) return;
        if (frozen()) thaw();
        if (CgroupFiles.has(dir, "cgroup.kill")) {
            write("cgroup.kill", "1");
        } else {
            pids().forEach(kill::accept);
        }
        for (int i = 0; i < 50 && !pids().isEmpty(); i++) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        CgroupFiles.removeTree(dir);
    }
}
