package berth.cgroups;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the host mounts, and the manager for a container's cgroup on it. A host is v2 when the unified
 * hierarchy is mounted at the cgroup root; otherwise its v1 hierarchies are used (a hybrid host's empty
 * unified mount holds no controllers). An explicit root (berth-runtime's {@code --cgroup-root}) selects a
 * hierarchy directly: a cgroup2 mount means v2 there.
 *
 * @param v2Root      the cgroup2 mount to use, or null on a v1 host
 * @param v1          v1 hierarchy name to mount point
 * @param ownCgroups  this process's cgroup per hierarchy name ("" for v2), from /proc/self/cgroup
 */
public record Cgroups(Path v2Root, Map<String, Path> v1, Map<String, String> ownCgroups) {

    /** Reads /proc/self/mountinfo and /proc/self/cgroup; {@code root} overrides the detection (may be null). */
    public static Cgroups detect(Path root) {
        try {
            List<String> mountinfo = Files.readAllLines(Path.of("/proc/self/mountinfo"));
            List<String> cgroup = Files.readAllLines(Path.of("/proc/self/cgroup"));
            return parse(mountinfo, cgroup, root, Path.of("/sys/fs/cgroup"));
        } catch (IOException e) {
            throw new CgroupException("read the host's cgroup mounts: " + e.getMessage(), e);
        }
    }

    /** The detection on given file contents (unit-testable). */
    public static Cgroups parse(List<String> mountinfo, List<String> procCgroup, Path root, Path defaultRoot) {
        Path v2 = null;
        Map<String, Path> v1 = new LinkedHashMap<>();
        Map<String, Path> cgroup2Mounts = new LinkedHashMap<>();
        for (String line : mountinfo) {
            String[] halves = line.split(" - ", 2);
            if (halves.length < 2) continue;
            String[] pre = halves[0].split(" "), post = halves[1].split(" ");
            Path mountPoint = Path.of(pre[4]);
            if (post[0].equals("cgroup2")) cgroup2Mounts.put(mountPoint.toString(), mountPoint);
            if (post[0].equals("cgroup") && mountPoint.getParent() != null && mountPoint.getParent().equals(defaultRoot)) {
                v1.put(mountPoint.getFileName().toString(), mountPoint);
            }
        }
        if (root != null) {
            if (!cgroup2Mounts.containsKey(root.toString())) {
                throw new CgroupException("--cgroup-root " + root + " is not a cgroup2 mount");
            }
            v2 = root;
        } else if (cgroup2Mounts.containsKey(defaultRoot.toString())) {
            v2 = defaultRoot;
        }
        Map<String, String> own = new LinkedHashMap<>();
        for (String line : procCgroup) {
            String[] f = line.split(":", 3);
            if (f.length < 3) continue;
            if (f[0].equals("0")) {
                own.put("", f[2]);
            } else {
                for (String controller : f[1].split(",")) own.put(controller, f[2]);
            }
        }
        // v1 hierarchy names are their directories ("cpu", "systemd"): key own cgroups by those too
        Map<String, String> byHierarchy = new LinkedHashMap<>();
        byHierarchy.put("", own.getOrDefault("", "/"));
        for (String name : v1.keySet()) {
            String key = name.equals("systemd") ? "name=systemd" : name;
            byHierarchy.put(name, own.getOrDefault(key, own.getOrDefault(name.split(",")[0], "/")));
        }
        return new Cgroups(v2, v2 != null ? Map.of() : v1, byHierarchy);
    }

    public boolean isV2() {
        return v2Root != null;
    }

    /**
     * Where a container's cgroup is in each hierarchy ("" for v2), with runc's reading of
     * {@code cgroupsPath}: absolute is within the hierarchy root; relative (or empty, then the container
     * id) is below this process's own cgroup. The result is absolute, so that later commands, run from
     * other cgroups, find the same directories.
     */
    public Map<String, String> paths(String cgroupsPath, String containerId) {
        String path = cgroupsPath == null || cgroupsPath.isEmpty() ? containerId : cgroupsPath;
        if (path.contains("..")) throw new CgroupException("cgroupsPath \"" + path + "\" must not contain \"..\"");
        Map<String, String> paths = new LinkedHashMap<>();
        if (isV2()) {
            paths.put("", resolve(path, ""));
        } else {
            if (v1.isEmpty()) throw new CgroupException("no cgroup hierarchy is mounted under /sys/fs/cgroup");
            for (String name : v1.keySet()) paths.put(name, resolve(path, name));
        }
        return paths;
    }

    /**
     * The manager for the cgroup at {@code paths} (as {@link #paths} gives them); on v2 device rules go
     * through {@code devices}.
     */
    public CgroupManager manager(Map<String, String> paths, DeviceFilter.Loader devices) {
        if (paths.containsKey("")) {
            if (!isV2()) throw new CgroupException("the container's cgroup is on cgroup v2, which this host does not use");
            return new V2Manager(v2Root, paths.get(""), devices);
        }
        Map<String, Path> mounts = new LinkedHashMap<>();
        for (String name : paths.keySet()) {
            Path mount = v1.get(name);
            if (mount == null) throw new CgroupException("cgroup hierarchy " + name + " is no longer mounted");
            mounts.put(name, mount);
        }
        return new V1Manager(mounts, paths);
    }

    /** {@code manager(paths(cgroupsPath, containerId), devices)}. */
    public CgroupManager manager(String cgroupsPath, String containerId, DeviceFilter.Loader devices) {
        return manager(paths(cgroupsPath, containerId), devices);
    }

    private String resolve(String path, String hierarchy) {
        if (path.startsWith("/")) return path;
        String own = ownCgroups.getOrDefault(hierarchy, "/");
        return (own.endsWith("/") ? own : own + "/") + path;
    }
}
