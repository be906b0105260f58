package berth.runtime.cli;

import berth.runtime.Json;
import berth.runtime.RuntimeError;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The config.json that {@code spec} writes: runc's default, or its rootless variant. */
final class DefaultSpec {
    private static final String RESOURCE = "/berth/runtime/default-spec.json";

    private DefaultSpec() {}

    @SuppressWarnings("unchecked")
    static Map<String, Object> build(boolean rootless) {
        Map<String, Object> spec;
        try (InputStream in = DefaultSpec.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new RuntimeError("missing resource " + RESOURCE);
            spec = Json.parse(in.readAllBytes(), RESOURCE);
        } catch (IOException e) {
            throw new RuntimeError("read " + RESOURCE + ": " + e.getMessage(), e);
        }
        if (!rootless) return spec;
        Map<String, Object> linux = (Map<String, Object>) spec.get("linux");
        List<Object> ns = new ArrayList<>((List<Object>) linux.get("namespaces"));
        ns.removeIf(n -> "network".equals(((Map<String, Object>) n).get("type")));
        ns.add(Map.of("type", "user"));
        linux.put("namespaces", ns);
        linux.put("uidMappings", List.of(Map.of("containerID", 0, "hostID", 1000, "size", 1)));
        linux.put("gidMappings", List.of(Map.of("containerID", 0, "hostID", 1000, "size", 1)));
        linux.remove("resources");
        List<Object> mounts = new ArrayList<>();
        for (Object o : (List<Object>) spec.get("mounts")) {
            Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) o);
            if ("/sys".equals(m.get("destination"))) {
                m = new LinkedHashMap<>(Map.of("destination", "/sys", "type", "none", "source", "/sys",
                        "options", List.of("rbind", "nosuid", "noexec", "nodev", "ro")));
            }
            if (!"/sys/fs/cgroup".equals(m.get("destination"))) mounts.add(m);
        }
        spec.put("mounts", mounts);
        return spec;
    }
}
