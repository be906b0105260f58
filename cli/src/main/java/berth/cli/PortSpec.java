package berth.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code -p} and {@code --expose} specifications as go-connections' {@code nat.ParsePortSpec} reads them:
 * {@code [IP:][HOST_PORT[-END]:]CONTAINER_PORT[-END][/PROTO]}, IPv6 addresses in brackets.
 */
final class PortSpec {
    private PortSpec() {}

    /** {@code 80}, {@code 80/udp}, {@code 8000-8002}: the {@code port/proto} keys they expose. */
    static List<String> expose(String spec) {
        String proto = "tcp";
        int slash = spec.indexOf('/');
        if (slash >= 0) {
            proto = protocol(spec.substring(slash + 1), spec);
            spec = spec.substring(0, slash);
        }
        List<String> keys = new ArrayList<>();
        int[] range = range(spec, spec);
        for (int port = range[0]; port <= range[1]; port++) keys.add(port + "/" + proto);
        return keys;
    }

    /** Adds one {@code -p} spec to {@code ExposedPorts} and {@code HostConfig.PortBindings}. */
    static void publish(String spec, ObjectNode exposed, ObjectNode bindings) {
        String rest = spec;
        String proto = "tcp";
        int slash = rest.lastIndexOf('/');
        if (slash >= 0) {
            proto = protocol(rest.substring(slash + 1), spec);
            rest = rest.substring(0, slash);
        }
        String ip = "";
        if (rest.startsWith("[")) {
            int close = rest.indexOf("]:");
            if (close < 0) throw new UsageException("invalid port specification: \"" + spec + "\"");
            ip = rest.substring(1, close);
            rest = rest.substring(close + 2);
        }
        String[] parts = rest.split(":", -1);
        String hostPort;
        String containerPort;
        switch (parts.length) {
            case 1 -> {
                hostPort = "";
                containerPort = parts[0];
            }
            case 2 -> {
                hostPort = parts[0];
                containerPort = parts[1];
            }
            case 3 -> {
                if (!ip.isEmpty()) throw new UsageException("invalid port specification: \"" + spec + "\"");
                ip = parts[0];
                hostPort = parts[1];
                containerPort = parts[2];
            }
            default -> throw new UsageException("invalid port specification: \"" + spec + "\"");
        }
        if (containerPort.isEmpty()) throw new UsageException("no port specified: " + spec + "<empty>");
        int[] inside = range(containerPort, spec);
        int[] outside = hostPort.isEmpty() ? null : range(hostPort, spec);
        int count = inside[1] - inside[0] + 1;
        if (outside != null && outside[1] - outside[0] + 1 != count && count != 1) {
            throw new UsageException("invalid ranges specified for container and host Ports: " + containerPort + " and " + hostPort);
        }
        for (int i = 0; i < count; i++) {
            String key = (inside[0] + i) + "/" + proto;
            exposed.putObject(key);
            String hp = outside == null ? "" : count == 1 ? hostPort : Integer.toString(outside[0] + i);
            ArrayNode list = bindings.has(key) ? (ArrayNode) bindings.get(key) : bindings.putArray(key);
            list.addObject().put("HostIp", ip).put("HostPort", hp);
        }
    }

    private static String protocol(String p, String spec) {
        if (!p.equals("tcp") && !p.equals("udp") && !p.equals("sctp")) {
            throw new UsageException("invalid proto: " + p + " in \"" + spec + "\"");
        }
        return p;
    }

    private static int[] range(String s, String spec) {
        int dash = s.indexOf('-');
        int start = port(dash < 0 ? s : s.substring(0, dash), spec);
        int end = dash < 0 ? start : port(s.substring(dash + 1), spec);
        if (end < start) throw new UsageException("invalid range specified for port: " + s);
        return new int[] {start, end};
    }

    private static int port(String s, String spec) {
        try {
            int p = Integer.parseInt(s);
            if (p < 0 || p > 65535) throw new NumberFormatException();
            return p;
        } catch (NumberFormatException e) {
            throw new UsageException("invalid port \"" + s + "\" in \"" + spec + "\"");
        }
    }
}
