package berth.runtime.spec;

import java.util.Collection;
import java.util.List;

/** Linux capability names and numbers (linux/capability.h). */
public final class Capability {
    private static final List<String> NAMES = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
            "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
            "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
            "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
            "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
            "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
            "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE");

    private Capability() {}

    /** The capability's number, or -1 when the name is unknown. Accepts names with or without "CAP_". */
    public static int number(String name) {
        String n = name.toUpperCase();
        return NAMES.indexOf(n.startsWith("CAP_") ? n : "CAP_" + n);
    }

    /** A bit mask of the named capabilities; null stays null (the set is left alone). */
    public static Long mask(Collection<String> names) {
        if (names == null) return null;
        long m = 0;
        for (String n : names) m |= 1L << number(n);
        return m;
    }

    public static List<String> all() {
        return NAMES;
    }
}
