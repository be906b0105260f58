package berth.network.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Executes CNI network configuration lists (spec 1.0.0, "Execution of Network Configurations"), as libcni
 * does:
 * <ul>
 * <li>ADD runs the plugins in order; each gets the list's {@code name} and {@code cniVersion}, the previous
 *     plugin's result as {@code prevResult}, and {@code runtimeConfig} with the capability arguments it
 *     declares in {@code capabilities}. The last result is cached with the configuration and arguments.</li>
 * <li>CHECK runs the plugins in order with the cached result as {@code prevResult}.</li>
 * <li>DEL runs the plugins in reverse order with the cached result as {@code prevResult}, using the cached
 *     configuration and arguments when there are some (so an attachment can be deleted after its network's
 *     configuration changed or went away), then removes the cache entry. DEL of an attachment that is
 *     already gone succeeds, as the spec asks of plugins.</li>
 * </ul>
 * A single plugin configuration (e.g. {@code loopback}) can be run on its own, uncached.
 */
public final class CniRuntime {
    /** Where Debian and the upstream tarball put the plugins. */
    public static final List<Path> DEFAULT_PLUGIN_DIRS = List.of(Path.of("/usr/lib/cni"), Path.of("/opt/cni/bin"));

    private final List<Path> pluginDirs;
    private final CniCache cache;
    private final PluginExec exec;

    /**
     * @param pluginDirs where plugin binaries are looked up, in order; also passed on as {@code CNI_PATH}
     * @param cacheDir   the cache's directory (results go to {@code cacheDir/results})
     */
    public CniRuntime(List<Path> pluginDirs, Path cacheDir, PluginExec exec) {
        this.pluginDirs = pluginDirs == null || pluginDirs.isEmpty() ? DEFAULT_PLUGIN_DIRS : List.copyOf(pluginDirs);
        this.cache = new CniCache(cacheDir);
        this.exec = exec;
    }

    public CniCache cache() {
        return cache;
    }

    public List<Path> pluginDirs() {
        return pluginDirs;
    }

    /** Runs ADD for the list and caches the result. Nothing is undone on failure: call {@link #del} for that. */
    public CniResult add(CniConfigList list, RuntimeConf rt) {
        JsonNode prev = null;
        for (ObjectNode plugin : list.plugins()) {
            prev = run("ADD", list, plugin, prev, rt, true);
        }
        CniResult result = CniResult.parse(prev, "network " + list.name() + ": result of " + list.types().getLast());
        cache.put(list, rt, result);
        return result;
    }

    /** Runs CHECK for the list against the cached ADD result; fails if there is none. Skipped if the list disables it. */
    public void check(CniConfigList list, RuntimeConf rt) {
        if (list.disableCheck()) return;
        CniCache.Entry cached = cache.get(list.name(), rt.containerId(), rt.ifname())
                .orElseThrow(() -> new CniException(list.name(), list.types().getFirst(), "CHECK", 0,
                        "no cached result for container " + rt.containerId() + " interface " + rt.ifname()));
        JsonNode prev = cached.result() == null ? null : cached.result().json();
        for (ObjectNode plugin : list.plugins()) run("CHECK", list, plugin, prev, rt, false);
    }

    /**
     * Runs DEL in reverse order. With a cache entry for the attachment, its configuration, arguments and
     * result are used ({@code rt} contributes only the namespace path) and the entry is removed afterwards;
     * without one, {@code list} and {@code rt} are used as given, or nothing runs if {@code list} is null.
     */
    public void del(CniConfigList list, RuntimeConf rt) {
        String network = list != null ? list.name() : null;
        Optional<CniCache.Entry> cached = network == null ? Optional.empty() : cache.get(network, rt.containerId(), rt.ifname());
        delWith(cached.map(CniCache.Entry::config).orElse(list), cached.map(c -> c.runtimeConf(rt.netns())).orElse(rt),
                cached.map(CniCache.Entry::result).orElse(null));
    }

    /** Runs DEL for a cached attachment, in namespace {@code netns} ("" when it is gone), and forgets it. */
    public void del(CniCache.Entry cached, String netns) {
        delWith(cached.config(), cached.runtimeConf(netns), cached.result());
    }

    private void delWith(CniConfigList list, RuntimeConf rt, CniResult cachedResult) {
        if (list == null) return;
        JsonNode prev = cachedResult == null ? null : cachedResult.json();
        List<ObjectNode> plugins = list.plugins();
        for (int i = plugins.size() - 1; i >= 0; i--) run("DEL", list, plugins.get(i), prev, rt, false);
        cache.remove(list.name(), rt.containerId(), rt.ifname());
    }

    /** ADD for one plugin configuration (it needs {@code type}; {@code name} and {@code cniVersion} default to the list-less values given), uncached. */
    public CniResult addPlugin(String network, String cniVersion, ObjectNode plugin, RuntimeConf rt) {
        CniConfigList single = new CniConfigList(cniVersion, network, true, List.of(plugin));
        JsonNode out = run("ADD", single, single.plugins().getFirst(), null, rt, true);
        return CniResult.parse(out, "network " + network + ": result of " + single.types().getFirst());
    }

    /** DEL for one plugin configuration, uncached. */
    public void delPlugin(String network, String cniVersion, ObjectNode plugin, RuntimeConf rt) {
        CniConfigList single = new CniConfigList(cniVersion, network, true, List.of(plugin));
        run("DEL", single, single.plugins().getFirst(), null, rt, false);
    }

    /** The spec versions a plugin supports (VERSION command). */
    public List<String> versions(String type) {
        Path plugin = find("?", type, "VERSION");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", "VERSION");
        env.put("CNI_PATH", cniPath());
        PluginExec.Output out = exec.exec(plugin, env, "{\"cniVersion\":\"1.0.0\"}".getBytes());
        JsonNode n = CniJson.tryParse(out.stdout());
        if (out.exitCode() != 0 || n == null) throw failure("?", type, "VERSION", out, n);
        List<String> versions = new ArrayList<>();
        n.path("supportedVersions").forEach(v -> versions.add(v.asText()));
        return versions;
    }

    /** The plugin binary of {@code type}: the first executable of that name in the plugin directories. */
    public Optional<Path> plugin(String type) {
        if (type.contains("/") || type.startsWith(".")) return Optional.empty();
        for (Path dir : pluginDirs) {
            Path p = dir.resolve(type);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** The configuration a plugin is executed with (spec, "Deriving execution configuration from plugin configuration"). */
    static ObjectNode executionConfig(CniConfigList list, ObjectNode plugin, JsonNode prevResult, RuntimeConf rt) {
        ObjectNode conf = plugin.deepCopy();
        conf.put("name", list.name());
        conf.put("cniVersion", list.cniVersion());
        conf.remove("runtimeConfig");
        ObjectNode runtimeConfig = CniJson.MAPPER.createObjectNode();
        plugin.path("capabilities").properties().forEach(cap -> {
            if (cap.getValue().asBoolean(false) && rt.capabilityArgs().containsKey(cap.getKey())) {
                runtimeConfig.set(cap.getKey(), CniJson.MAPPER.valueToTree(rt.capabilityArgs().get(cap.getKey())));
            }
        });
        if (!runtimeConfig.isEmpty()) conf.set("runtimeConfig", runtimeConfig);
        if (prevResult != null) conf.set("prevResult", prevResult);
        else conf.remove("prevResult");
        return conf;
    }

    private JsonNode run(String command, CniConfigList list, ObjectNode plugin, JsonNode prevResult, RuntimeConf rt,
                         boolean resultExpected) {
        String type = plugin.get("type").asText();
        Path binary = find(list.name(), type, command);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", rt.containerId());
        env.put("CNI_NETNS", rt.netns());
        env.put("CNI_IFNAME", rt.ifname());
        env.put("CNI_ARGS", rt.cniArgs());
        env.put("CNI_PATH", cniPath());
        byte[] stdin = CniJson.bytes(executionConfig(list, plugin, prevResult, rt));
        PluginExec.Output out = exec.exec(binary, env, stdin);
        JsonNode n = CniJson.tryParse(out.stdout());
        if (out.exitCode() != 0) throw failure(list.name(), type, command, out, n);
        if (!resultExpected) return prevResult;
        if (!(n instanceof ObjectNode)) {
            throw new CniException(list.name(), type, command, 0, "plugin printed no result"
                    + (out.stderr().isBlank() ? "" : "; stderr: " + CniJson.oneLine(out.stderr(), 500)));
        }
        return n;
    }

    private Path find(String network, String type, String command) {
        return plugin(type).orElseThrow(() -> new CniException(network, type, command, 0,
                "plugin not found in " + pluginDirs.stream().map(Path::toString).collect(Collectors.joining(", "))));
    }

    private static CniException failure(String network, String type, String command, PluginExec.Output out, JsonNode n) {
        StringBuilder detail = new StringBuilder();
        int code = 0;
        if (n != null && n.has("msg")) {
            code = n.path("code").asInt(0);
            detail.append(n.path("msg").asText());
            String details = n.path("details").asText("");
            if (!details.isBlank()) detail.append(": ").append(details);
        } else if (out.stdout().length > 0) {
            detail.append(CniJson.utf8(out.stdout()));
        } else {
            detail.append(out.exitCode() < 0 ? "timed out" : "exit status " + out.exitCode());
        }
        if (!out.stderr().isBlank()) detail.append("; stderr: ").append(out.stderr());
        return new CniException(network, type, command, code, CniJson.oneLine(detail.toString(), 1000));
    }

    private String cniPath() {
        return pluginDirs.stream().map(Path::toString).collect(Collectors.joining(":"));
    }
}
