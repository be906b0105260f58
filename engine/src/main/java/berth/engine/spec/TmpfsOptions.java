package berth.engine.spec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * moby's {@code mount.MergeTmpfsOptions}: later options win over earlier ones that set the same flag ("exec"
 * overrides "noexec", "rw" overrides "ro", one propagation) or the same data key ("size=", "mode=").
 */
final class TmpfsOptions {
    private static final String PROPAGATION = "propagation";
    /** Flag option to the flag it sets or clears: options with the same key collide. */
    private static final Map<String, String> FLAGS = Map.ofEntries(
            Map.entry("ro", "rdonly"), Map.entry("rw", "rdonly"), Map.entry("suid", "nosuid"),
            Map.entry("nosuid", "nosuid"), Map.entry("dev", "nodev"), Map.entry("nodev", "nodev"),
            Map.entry("exec", "noexec"), Map.entry("noexec", "noexec"), Map.entry("sync", "sync"),
            Map.entry("async", "sync"), Map.entry("dirsync", "dirsync"), Map.entry("remount", "remount"),
            Map.entry("mand", "mand"), Map.entry("nomand", "mand"), Map.entry("atime", "noatime"),
            Map.entry("noatime", "noatime"), Map.entry("diratime", "nodiratime"), Map.entry("nodiratime", "nodiratime"),
            Map.entry("bind", "bind"), Map.entry("rbind", "bind"), Map.entry("relatime", "relatime"),
            Map.entry("norelatime", "relatime"), Map.entry("strictatime", "strictatime"),
            Map.entry("nostrictatime", "strictatime"), Map.entry("unbindable", PROPAGATION),
            Map.entry("runbindable", PROPAGATION), Map.entry("private", PROPAGATION), Map.entry("rprivate", PROPAGATION),
            Map.entry("shared", PROPAGATION), Map.entry("rshared", PROPAGATION), Map.entry("slave", PROPAGATION),
            Map.entry("rslave", PROPAGATION));
    private static final Set<String> DATA_KEYS = Set.of("size", "mode", "uid", "gid", "nr_inodes", "nr_blocks", "mpol");

    private TmpfsOptions() {}

    static List<String> merge(List<String> options) {
        Set<String> flagsSeen = new HashSet<>(), dataSeen = new HashSet<>();
        List<String> merged = new ArrayList<>();
        for (int i = options.size() - 1; i >= 0; i--) {
            String option = options.get(i);
            if (option.equals("defaults")) continue;
            String flag = FLAGS.get(option);
            if (flag != null) {
                if (flagsSeen.add(flag)) merged.addFirst(option);
                continue;
            }
            int eq = option.indexOf('=');
            if (eq < 0 || !DATA_KEYS.contains(option.substring(0, eq))) {
                List<String> parts = eq < 0 ? List.of(option) : List.of(option.substring(0, eq), option.substring(eq + 1));
                throw new IllegalArgumentException("invalid tmpfs option " + GoText.quote(parts));
            }
            if (dataSeen.add(option.substring(0, eq))) merged.addFirst(option);
        }
        return merged;
    }
}
