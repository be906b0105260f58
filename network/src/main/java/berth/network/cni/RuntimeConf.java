package berth.network.cni;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The per-attachment half of a CNI invocation (libcni's RuntimeConf).
 *
 * @param containerId    {@code CNI_CONTAINERID}: letters, digits, '_', '.' and '-'
 * @param netns          {@code CNI_NETNS}, a path such as {@code /proc/PID/ns/net}; empty on a DEL whose
 *                       namespace is gone (the spec lets plugins clean up without it)
 * @param ifname         {@code CNI_IFNAME}, e.g. {@code eth0}
 * @param args           {@code CNI_ARGS} as ordered key/value pairs, e.g. {@code IgnoreUnknown=1}, {@code IP=...}
 * @param capabilityArgs values for the plugins' declared capabilities, e.g. {@code portMappings}: each plugin
 *                       that declares one gets it in its {@code runtimeConfig}. Values are plain Java values
 *                       (maps, lists, strings, numbers, records) that serialize to JSON
 */
public record RuntimeConf(String containerId, String netns, String ifname, Map<String, String> args,
                          Map<String, Object> capabilityArgs) {
    private static final Pattern CONTAINER_ID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.\\-]*");

    public RuntimeConf {
        if (containerId == null || !CONTAINER_ID.matcher(containerId).matches()) {
            throw new IllegalArgumentException("invalid container ID \"" + containerId + "\": letters, digits, '_', '.' and '-'");
        }
        validateIfname(ifname);
        netns = netns == null ? "" : netns;
        args = args == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(args));
        for (var e : args.entrySet()) {
            if (e.getKey().isEmpty() || e.getKey().contains("=") || e.getKey().contains(";") || e.getValue().contains(";")) {
                throw new IllegalArgumentException("invalid CNI argument " + e.getKey() + "=" + e.getValue());
            }
        }
        capabilityArgs = capabilityArgs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(capabilityArgs));
    }

    /** The same attachment in another namespace path (e.g. empty, when the namespace is gone). */
    public RuntimeConf withNetns(String path) {
        return new RuntimeConf(containerId, path, ifname, args, capabilityArgs);
    }

    /** {@code CNI_ARGS}: {@code K1=V1;K2=V2}. */
    public String cniArgs() {
        StringBuilder sb = new StringBuilder();
        args.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ";").append(k).append('=').append(v));
        return sb.toString();
    }

    /** Interface names as the kernel takes them: 1 to 15 bytes, no '/', ':' or white space, not "." or "..". */
    public static void validateIfname(String ifname) {
        if (ifname == null || ifname.isEmpty() || ifname.length() > 15 || ifname.equals(".") || ifname.equals("..")
                || !ifname.chars().allMatch(c -> c > ' ' && c < 127 && c != '/' && c != ':')) {
            throw new IllegalArgumentException("invalid interface name \"" + ifname + "\": 1 to 15 characters, no '/', ':' or spaces");
        }
    }
}
