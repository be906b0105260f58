package berth.runtime.cli;

import berth.runtime.Json;
import berth.runtime.RuntimeError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "spec", description = "Write a default config.json for a bundle.")
final class SpecCommand implements Callable<Integer> {
    @Option(names = {"-b", "--bundle"}) Path bundle = Path.of(".");
    @Option(names = "--rootless", description = "a configuration for unprivileged users") boolean rootless;

    @Override
    @SuppressWarnings("unchecked")
    public Integer call() throws IOException {
        Path out = bundle.resolve("config.json");
        if (Files.exists(out)) throw new RuntimeError("File " + out + " exists. Remove it first");
        Map<String, Object> spec;
        try (InputStream in = SpecCommand.class.getResourceAsStream("/berth/runtime/default-spec.json")) {
            spec = Json.parse(in.readAllBytes(), "default spec");
        }
        if (rootless) {
            Map<String, Object> linux = (Map<String, Object>) spec.get("linux");
            List<Object> ns = new ArrayList<>((List<Object>) linux.get("namespaces"));
            ns.removeIf(n -> "network".equals(((Map<String, Object>) n).get("type")));
            ns.add(Map.of("type", "user"));
            linux.put("namespaces", ns);
            linux.put("uidMappings", List.of(Map.of("containerID", 0, "hostID", 0, "size", 1)));
            linux.put("gidMappings", List.of(Map.of("containerID", 0, "hostID", 0, "size", 1)));
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
        }
        Files.writeString(out, Json.write(spec, true) + "\n");
        return 0;
    }
}
