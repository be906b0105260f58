package berth.runtime.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Mount option strings to mount(2) flags, propagation and filesystem data, as runc reads them. */
public record MountOptions(long flags, List<Long> propagations, String data) {
    public static final long MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_SYNCHRONOUS = 16,
            MS_REMOUNT = 32, MS_MANDLOCK = 64, MS_DIRSYNC = 128, MS_NOSYMFOLLOW = 256, MS_NOATIME = 1024,
            MS_NODIRATIME = 2048, MS_BIND = 4096, MS_MOVE = 8192, MS_REC = 16384, MS_UNBINDABLE = 1 << 17,
            MS_PRIVATE = 1 << 18, MS_SLAVE = 1 << 19, MS_SHARED = 1 << 20, MS_RELATIME = 1 << 21,
            MS_STRICTATIME = 1 << 24, MS_LAZYTIME = 1 << 25;

    /** option -> {flags to set, flags to clear}. */
    private static final Map<String, long[]> FLAGS = Map.ofEntries(
            Map.entry("ro", new long[] {MS_RDONLY, 0}), Map.entry("rw", new long[] {0, MS_RDONLY}),
            Map.entry("nosuid", new long[] {MS_NOSUID, 0}), Map.entry("suid", new long[] {0, MS_NOSUID}),
            Map.entry("nodev", new long[] {MS_NODEV, 0}), Map.entry("dev", new long[] {0, MS_NODEV}),
            Map.entry("noexec", new long[] {MS_NOEXEC, 0}), Map.entry("exec", new long[] {0, MS_NOEXEC}),
            Map.entry("sync", new long[] {MS_SYNCHRONOUS, 0}), Map.entry("async", new long[] {0, MS_SYNCHRONOUS}),
            Map.entry("remount", new long[] {MS_REMOUNT, 0}),
            Map.entry("mand", new long[] {MS_MANDLOCK, 0}), Map.entry("nomand", new long[] {0, MS_MANDLOCK}),
            Map.entry("dirsync", new long[] {MS_DIRSYNC, 0}),
            Map.entry("nosymfollow", new long[] {MS_NOSYMFOLLOW, 0}),
            Map.entry("noatime", new long[] {MS_NOATIME, 0}), Map.entry("atime", new long[] {0, MS_NOATIME}),
            Map.entry("nodiratime", new long[] {MS_NODIRATIME, 0}), Map.entry("diratime", new long[] {0, MS_NODIRATIME}),
            Map.entry("relatime", new long[] {MS_RELATIME, 0}), Map.entry("norelatime", new long[] {0, MS_RELATIME}),
            Map.entry("strictatime", new long[] {MS_STRICTATIME, 0}), Map.entry("nostrictatime", new long[] {0, MS_STRICTATIME}),
            Map.entry("lazytime", new long[] {MS_LAZYTIME, 0}), Map.entry("nolazytime", new long[] {0, MS_LAZYTIME}),
            Map.entry("bind", new long[] {MS_BIND, 0}), Map.entry("rbind", new long[] {MS_BIND | MS_REC, 0}),
            Map.entry("defaults", new long[] {0, 0}));

    private static final Map<String, Long> PROPAGATION = Map.of(
            "private", MS_PRIVATE, "rprivate", MS_PRIVATE | MS_REC,
            "shared", MS_SHARED, "rshared", MS_SHARED | MS_REC,
            "slave", MS_SLAVE, "rslave", MS_SLAVE | MS_REC,
            "unbindable", MS_UNBINDABLE, "runbindable", MS_UNBINDABLE | MS_REC);

    /** Options berth accepts and deliberately ignores (they carry no meaning for the kernel mount). */
    private static final List<String> IGNORED = List.of("tmpcopyup", "loud");

    public static MountOptions parse(List<String> options) {
        long flags = 0;
        List<Long> propagations = new ArrayList<>();
        List<String> data = new ArrayList<>();
        for (String o : options) {
            long[] f = FLAGS.get(o);
            if (f != null) {
                flags = (flags | f[0]) & ~f[1];
            } else if (PROPAGATION.containsKey(o)) {
                propagations.add(PROPAGATION.get(o));
            } else if (!IGNORED.contains(o)) {
                data.add(o);
            }
        }
        return new MountOptions(flags, List.copyOf(propagations), String.join(",", data));
    }

    /** The propagation flags for a name such as "rslave", or 0 if unknown. */
    public static long propagation(String name) {
        return PROPAGATION.getOrDefault(name, 0L);
    }

    public boolean isBind() {
        return (flags & MS_BIND) != 0;
    }
}
