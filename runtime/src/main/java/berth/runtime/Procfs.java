package berth.runtime;

import berth.runtime.plan.HostFacts;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Facts read from /proc: process start times, namespace identities, the host's cgroup mounts. */
public final class Procfs {
    private Procfs() {}

    /** The start time (clock ticks since boot) of a live process, or -1 if it is gone or a zombie. */
    public static long startTime(int pid) {
        if (pid <= 0) return -1;
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // The command name may contain spaces and parentheses: fields start after the last ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            if (f[0].equals("Z") || f[0].equals("X")) return -1;
            return Long.parseLong(f[19]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The identity of a namespace, e.g. "net:[4026531840]", or null when unreadable. */
    public static String namespaceId(String pid, String procName) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/" + procName)).toString();
        } catch (IOException e) {
            return null;
        }
    }

    /** Every process whose pid namespace is {@code nsId}. */
    public static List<Integer> pidsInNamespace(String nsId) {
        List<Integer> pids = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : ds) {
                String pid = p.getFileName().toString();
                if (nsId.equals(namespaceId(pid, "pid"))) pids.add(Integer.parseInt(pid));
            }
        } catch (IOException e) {
            throw new RuntimeError("list processes: " + e.getMessage(), e);
        }
        pids.sort(null);
        return pids;
    }

    /** The facts about the host the plan compiler needs. */
    public static HostFacts hostFacts() {
        return new HostFacts(Files.exists(Path.of("/proc/kcore")));
    }
}
