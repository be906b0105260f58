package berth.cgroups;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/** The cgroup(s) of one container, on whichever hierarchy the host has. */
public interface CgroupManager {
    /** Creates the cgroup (and missing parents) and applies {@code resources}. */
    void create(Resources resources);

    /** Changes limits of an existing cgroup ({@code update}). */
    void apply(Resources resources);

    /** Moves a process into the cgroup (before it runs the container's program). */
    void join(int pid);

    /** The processes in the cgroup and below it. */
    List<Integer> pids();

    void freeze();

    void thaw();

    boolean frozen();

    /** Usage figures in runc's {@code events --stats} shape ("cpu", "memory", "pids", "blkio", "hugetlb"). */
    Map<String, Object> stats();

    /** How many times the kernel's OOM killer has killed a process in the cgroup. */
    long oomKills();

    /** Whether the cgroup still exists. */
    boolean exists();

    /**
     * Kills what is left inside ({@code kill} receives each pid), then removes the cgroup, retrying while
     * the kernel still tears the processes down.
     */
    void destroy(IntConsumer kill);

    /** Directories a container may see as its /sys/fs/cgroup: hierarchy name ("" for v2) to directory. */
    Map<String, Path> directories();
}
