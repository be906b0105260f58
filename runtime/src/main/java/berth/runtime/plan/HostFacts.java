package berth.runtime.plan;

import java.util.List;

/**
 * What the plan compiler needs to know about the host, gathered once by the caller so that compiling stays
 * a pure function: the cgroup hierarchies to mirror for a "cgroup" mount and whether /proc/kcore exists.
 *
 * @param cgroupV2 true when the host runs the unified hierarchy only
 * @param cgroupV1 v1 hierarchies as {directory name under /sys/fs/cgroup, mount options (controllers)}
 */
public record HostFacts(boolean cgroupV2, List<String[]> cgroupV1, boolean hasKcore) {
    public HostFacts {
        cgroupV1 = List.copyOf(cgroupV1);
    }
}
