package berth.runtime.plan;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Namespace types of the OCI spec, their clone(2) flags and the names of their /proc/PID/ns entries. */
public final class Namespaces {
    public static final long CLONE_NEWTIME = 0x80, CLONE_NEWNS = 0x20000, CLONE_NEWCGROUP = 0x02000000,
            CLONE_NEWUTS = 0x04000000, CLONE_NEWIPC = 0x08000000, CLONE_NEWUSER = 0x10000000,
            CLONE_NEWPID = 0x20000000, CLONE_NEWNET = 0x40000000;

    private static final Map<String, Long> FLAGS = Map.of("pid", CLONE_NEWPID, "network", CLONE_NEWNET,
            "mount", CLONE_NEWNS, "ipc", CLONE_NEWIPC, "uts", CLONE_NEWUTS, "user", CLONE_NEWUSER,
            "cgroup", CLONE_NEWCGROUP, "time", CLONE_NEWTIME);

    private static final Map<String, String> PROC_NAMES = Map.of("pid", "pid", "network", "net", "mount", "mnt",
            "ipc", "ipc", "uts", "uts", "user", "user", "cgroup", "cgroup", "time", "time");

    /**
     * The order in which namespaces are joined: the user namespace first (it owns the others), the mount
     * namespace last (joining it changes how every later path resolves).
     */
    private static final List<String> JOIN_ORDER = List.of("user", "ipc", "uts", "network", "pid", "cgroup", "time", "mount");

    private Namespaces() {}

    public static long flag(String type) {
        return FLAGS.get(type);
    }

    /** "network" -> "net": the entry under /proc/PID/ns. */
    public static String procName(String type) {
        return PROC_NAMES.get(type);
    }

    public static Comparator<String> joinOrder() {
        return Comparator.comparingInt(JOIN_ORDER::indexOf);
    }
}
