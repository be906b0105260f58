package berth.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the runtime remembers about a container between invocations (state.json in its state directory).
 * {@link #toOci} is the state of the OCI runtime spec as {@code state} prints it and hooks receive it.
 *
 * @param startTime   the init process's start time in clock ticks (/proc/PID/stat field 22), so that a
 *                    recycled pid is never mistaken for the container
 * @param cgroupRoot  the cgroup2 mount chosen with --cgroup-root, or null for the host's default
 * @param cgroupPaths the container's cgroup per hierarchy ("" on v2), absolute within each hierarchy
 */
public record State(String id, int pid, long startTime, String bundle, String rootfs, String created, String owner,
                    Map<String, String> annotations, Map<String, String> namespaces, String cgroupRoot,
                    Map<String, String> cgroupPaths) {

    public enum Status {
        CREATING, CREATED, RUNNING, STOPPED, PAUSED;

        public String text() {
            return name().toLowerCase();
        }
    }

    public static final String OCI_VERSION = "1.2.0";

    public Map<String, Object> toOci(Status status) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ociVersion", OCI_VERSION);
        m.put("id", id);
        m.put("status", status.text());
        m.put("pid", status == Status.STOPPED ? 0 : pid);
        m.put("bundle", bundle);
        if (!annotations.isEmpty()) m.put("annotations", annotations);
        return m;
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("pid", pid);
        m.put("startTime", startTime);
        m.put("bundle", bundle);
        m.put("rootfs", rootfs);
        m.put("created", created);
        m.put("owner", owner);
        m.put("annotations", annotations);
        m.put("namespaces", namespaces);
        if (cgroupRoot != null) m.put("cgroupRoot", cgroupRoot);
        m.put("cgroupPaths", cgroupPaths);
        return m;
    }

    @SuppressWarnings("unchecked")
    static State fromJson(Map<String, Object> m) {
        return new State((String) m.get("id"), ((Number) m.get("pid")).intValue(),
                ((Number) m.get("startTime")).longValue(), (String) m.get("bundle"), (String) m.get("rootfs"),
                (String) m.get("created"), (String) m.getOrDefault("owner", ""),
                (Map<String, String>) m.getOrDefault("annotations", Map.of()),
                (Map<String, String>) m.getOrDefault("namespaces", Map.of()), (String) m.get("cgroupRoot"),
                (Map<String, String>) m.getOrDefault("cgroupPaths", Map.of()));
    }
}
