package berth.engine.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Port keys ("80", "80/tcp", "53/UDP") and host port specs, as Docker's {@code nat} package reads them. */
final class Ports {
    private Ports() {}

    /** Rewrites the keys of ExposedPorts and PortBindings to "port/proto", the protocol lower-case (tcp by default). */
    static void normaliseKeys(ObjectNode config, ObjectNode hostConfig) {
        rekey(config, "ExposedPorts");
        rekey(hostConfig, "PortBindings");
    }

    private static void rekey(ObjectNode parent, String field) {
        JsonNode map = parent.get(field);
        if (map == null) return;
        ObjectNode out = parent.objectNode();
        for (Map.Entry<String, JsonNode> e : map.properties()) out.set(key(e.getKey()), e.getValue());
        parent.set(field, out);
    }

    static String key(String raw) {
        int slash = raw.indexOf('/');
        String port = slash < 0 ? raw : raw.substring(0, slash);
        String proto = slash < 0 ? "tcp" : raw.substring(slash + 1).toLowerCase(Locale.ROOT);
        return port + "/" + (proto.isEmpty() ? "tcp" : proto);
    }

    /** The port number of a key such as "80/tcp". */
    static String port(String key) {
        return key.substring(0, key.indexOf('/'));
    }

    /** dockerd's validatePortBindings: a single container port, host ports single or ranges. */
    static void validate(Map<String, List<HostSettings.PortBinding>> bindings) {
        for (Map.Entry<String, List<HostSettings.PortBinding>> e : bindings.entrySet()) {
            String port = port(e.getKey());
            if (!port.isEmpty() && !isPort(port)) throw invalid(port);
            for (HostSettings.PortBinding b : e.getValue()) {
                String hostPort = b.hostPort();
                int slash = hostPort.indexOf('/');
                if (slash >= 0) hostPort = hostPort.substring(0, slash);
                if (!hostPort.isEmpty() && !isRange(hostPort)) throw invalid(b.hostPort());
            }
        }
    }

    private static boolean isRange(String s) {
        int dash = s.indexOf('-');
        if (dash < 0) return isPort(s);
        String start = s.substring(0, dash), end = s.substring(dash + 1);
        return isPort(start) && isPort(end) && Integer.parseInt(end) >= Integer.parseInt(start);
    }

    private static boolean isPort(String s) {
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(Character::isDigit)) return false;
        return Integer.parseInt(s) <= 65535;
    }

    private static IllegalArgumentException invalid(String port) {
        return new IllegalArgumentException("invalid port specification: \"" + port + "\"");
    }

    static List<HostSettings.PortBinding> bindings(JsonNode list) {
        List<HostSettings.PortBinding> out = new ArrayList<>();
        for (JsonNode b : list) out.add(new HostSettings.PortBinding(Nodes.text(b, "HostIp"), Nodes.text(b, "HostPort")));
        return out;
    }
}
