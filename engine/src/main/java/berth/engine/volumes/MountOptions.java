package berth.engine.volumes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A local volume's {@code o} option split as moby's {@code mount.Mount} splits it: words that are mount(2)
 * flags ({@code ro}, {@code nosuid}, {@code bind}, {@code rbind}, {@code private}, ...) become flag bits, the
 * rest ({@code size=100m}, {@code uid=1000}, ...) the file system's data string.
 *
 * @param flags       MS_* bits for the mount itself (as in moby, MS_REC of {@code rprivate} also lands here)
 * @param propagation MS_PRIVATE, MS_SHARED, MS_SLAVE or MS_UNBINDABLE (with MS_REC), applied by a second call
 * @param data        the file-system-specific options, comma-separated; null if none
 */
record MountOptions(long flags, long propagation, String data) {
    static final long MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_SYNCHRONOUS = 16,
            MS_REMOUNT = 32, MS_MANDLOCK = 64, MS_DIRSYNC = 128, MS_NOATIME = 1024, MS_NODIRATIME = 2048,
            MS_BIND = 4096, MS_REC = 16384, MS_UNBINDABLE = 1 << 17, MS_PRIVATE = 1 << 18, MS_SLAVE = 1 << 19,
            MS_SHARED = 1 << 20, MS_RELATIME = 1 << 21, MS_STRICTATIME = 1 << 24;
    private static final long PROPAGATION = MS_UNBINDABLE | MS_PRIVATE | MS_SLAVE | MS_SHARED;

    /** Word to {clear?, bits}: "rw" clears MS_RDONLY, "ro" sets it. */
    private static final Map<String, long[]> WORDS = Map.ofEntries(
            Map.entry("defaults", new long[] {0, 0}),
            Map.entry("ro", new long[] {0, MS_RDONLY}), Map.entry("rw", new long[] {1, MS_RDONLY}),
            Map.entry("suid", new long[] {1, MS_NOSUID}), Map.entry("nosuid", new long[] {0, MS_NOSUID}),
            Map.entry("dev", new long[] {1, MS_NODEV}), Map.entry("nodev", new long[] {0, MS_NODEV}),
            Map.entry("exec", new long[] {1, MS_NOEXEC}), Map.entry("noexec", new long[] {0, MS_NOEXEC}),
            Map.entry("sync", new long[] {0, MS_SYNCHRONOUS}), Map.entry("async", new long[] {1, MS_SYNCHRONOUS}),
            Map.entry("dirsync", new long[] {0, MS_DIRSYNC}), Map.entry("remount", new long[] {0, MS_REMOUNT}),
            Map.entry("mand", new long[] {0, MS_MANDLOCK}), Map.entry("nomand", new long[] {1, MS_MANDLOCK}),
            Map.entry("atime", new long[] {1, MS_NOATIME}), Map.entry("noatime", new long[] {0, MS_NOATIME}),
            Map.entry("diratime", new long[] {1, MS_NODIRATIME}), Map.entry("nodiratime", new long[] {0, MS_NODIRATIME}),
            Map.entry("bind", new long[] {0, MS_BIND}), Map.entry("rbind", new long[] {0, MS_BIND | MS_REC}),
            Map.entry("unbindable", new long[] {0, MS_UNBINDABLE}), Map.entry("runbindable", new long[] {0, MS_UNBINDABLE | MS_REC}),
            Map.entry("private", new long[] {0, MS_PRIVATE}), Map.entry("rprivate", new long[] {0, MS_PRIVATE | MS_REC}),
            Map.entry("shared", new long[] {0, MS_SHARED}), Map.entry("rshared", new long[] {0, MS_SHARED | MS_REC}),
            Map.entry("slave", new long[] {0, MS_SLAVE}), Map.entry("rslave", new long[] {0, MS_SLAVE | MS_REC}),
            Map.entry("relatime", new long[] {0, MS_RELATIME}), Map.entry("norelatime", new long[] {1, MS_RELATIME}),
            Map.entry("strictatime", new long[] {0, MS_STRICTATIME}), Map.entry("nostrictatime", new long[] {1, MS_STRICTATIME}));

    static MountOptions parse(String o) {
        long flags = 0;
        List<String> data = new ArrayList<>();
        for (String word : o == null ? new String[0] : o.split(",")) {
            if (word.isEmpty()) continue;
            long[] f = WORDS.get(word);
            if (f == null) {
                data.add(word);
            } else if (f[0] == 1) {
                flags &= ~f[1];
            } else {
                flags |= f[1];
            }
        }
        long propagation = (flags & PROPAGATION) == 0 ? 0 : flags & (PROPAGATION | MS_REC);
        return new MountOptions(flags & ~PROPAGATION, propagation, data.isEmpty() ? null : String.join(",", data));
    }

    /** A read-only bind mount: mount(2) ignores MS_RDONLY with MS_BIND, so it takes a remount after the bind. */
    boolean needsReadOnlyRemount() {
        return (flags & (MS_BIND | MS_RDONLY)) == (MS_BIND | MS_RDONLY);
    }
}
