package berth.network.ports;

import berth.network.PortMapping;

import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Docker's {@code -p} syntax ({@code go-connections/nat.ParsePortSpec}), {@code [[IP:][HOST_PORT]:]CONTAINER_PORT[/PROTO]}:
 * <pre>
 * 80                   container port 80/tcp on any free host port, every host address
 * 8080:80              host port 8080
 * 127.0.0.1:8080:80    on one host address
 * 127.0.0.1::80        any free host port on one address
 * 8080:80/udp          UDP (tcp, udp, sctp; any case)
 * [::1]:8080:80        an IPv6 address, in brackets (or without: everything before the last two colons)
 * 8000-8010:80-90      port ranges of equal length, pairwise
 * 80-90                a range on free host ports
 * 8000-8010:80         one container port on a free host port of the range ({@link PortRequest#isHostRange})
 * </pre>
 * and {@code -P} over the exposed ports ({@link #publishAll}). Errors are one line:
 * {@code invalid port spec "x:y:z:w": ...}.
 */
public final class PortSpecs {
    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");

    private static final Comparator<PortMapping> ORDER = Comparator
            .comparingInt(PortMapping::containerPort).thenComparing(PortMapping::protocol);

    private PortSpecs() {}

    /** Parses one {@code -p} value. */
    public static List<PortRequest> parse(String spec) {
        try {
            return parseOrThrow(spec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid port spec \"" + spec + "\": " + e.getMessage());
        }
    }

    /** Parses every {@code -p} value, in order. */
    public static List<PortRequest> parse(Collection<String> specs) {
        List<PortRequest> out = new ArrayList<>();
        for (String s : specs) out.addAll(parse(s));
        return out;
    }

    /**
     * Parses {@code -p} values into mappings for attach.
     *
     * @throws IllegalArgumentException for a host port range given for one container port, which needs
     *                                  {@link PortRequest#choose}
     */
    public static List<PortMapping> mappings(Collection<String> specs) {
        List<PortMapping> out = new ArrayList<>();
        for (String s : specs) {
            for (PortRequest r : parse(s)) {
                if (r.isHostRange()) {
                    throw new IllegalArgumentException("invalid port spec \"" + s + "\": a host port range for one"
                            + " container port needs a free port chosen from it (PortRequest.choose)");
                }
                out.add(r.toMapping());
            }
        }
        return out;
    }

    /**
     * {@code -P}: every exposed port ({@code 80/tcp}, {@code 80}, or a range {@code 8000-8002/udp}) on a free host
     * port of every host address, in port order.
     */
    public static List<PortMapping> publishAll(Collection<String> exposedPorts) {
        return publishAll(exposedPorts, List.of());
    }

    /**
     * {@code -P} beside {@code -p}: the exposed ports that {@code published} does not already publish (Docker
     * publishes a port on a random host port only when it has no explicit binding).
     */
    public static List<PortMapping> publishAll(Collection<String> exposedPorts, Collection<PortRequest> published) {
        Set<String> bound = new HashSet<>();
        for (PortRequest r : published) bound.add(r.port());
        TreeSet<PortMapping> out = new TreeSet<>(ORDER);
        for (String exposed : exposedPorts) {
            for (PortMapping m : exposedPort(exposed)) if (!bound.contains(m.containerPort() + "/" + m.protocol())) out.add(m);
        }
        return List.copyOf(out);
    }

    /** One exposed port or range ({@code 80}, {@code 53/udp}, {@code 8000-8002/tcp}) as mappings to free host ports. */
    static List<PortMapping> exposedPort(String exposed) {
        try {
            String[] pp = splitProto(exposed);
            int[] range = range(pp[0], "port");
            List<PortMapping> out = new ArrayList<>();
            for (int p = range[0]; p <= range[1]; p++) out.add(new PortMapping(null, 0, p, pp[1]));
            return out;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid exposed port \"" + exposed + "\": " + e.getMessage());
        }
    }

    private static List<PortRequest> parseOrThrow(String spec) {
        String[] parts = spec.split(":", -1);
        int n = parts.length;
        String ip = n > 2 ? String.join(":", List.of(parts).subList(0, n - 2)) : "";
        String hostPort = n > 1 ? parts[n - 2] : "";
        String[] pp = splitProto(parts[n - 1]);

        if (ip.startsWith("[")) {
            if (!ip.endsWith("]")) throw new IllegalArgumentException("invalid IP address \"" + ip + "\"");
            ip = ip.substring(1, ip.length() - 1);
        }
        if (!ip.isEmpty() && !isIp(ip)) throw new IllegalArgumentException("invalid IP address \"" + ip + "\"");

        int[] container = range(pp[0], "container port");
        int[] host = hostPort.isEmpty() ? new int[] {0, 0} : range(hostPort, "host port");
        if (host[0] == 0 && host[1] != 0) throw new IllegalArgumentException("invalid host port \"" + hostPort + "\"");
        int containerCount = container[1] - container[0] + 1;
        int hostCount = host[1] - host[0] + 1;
        boolean hostRangeForOnePort = containerCount == 1 && hostCount > 1;
        if (!hostPort.isEmpty() && hostCount != containerCount && containerCount > 1) {
            throw new IllegalArgumentException("host ports " + hostPort + " and container ports " + pp[0]
                    + " are ranges of different lengths");
        }

        String hostIp = ip.isEmpty() ? null : ip;
        List<PortRequest> out = new ArrayList<>();
        for (int i = 0; i < containerCount; i++) {
            int first, last;
            if (host[0] == 0) first = last = 0;
            else if (hostRangeForOnePort) { first = host[0]; last = host[1]; }
            else first = last = host[0] + i;
            out.add(new PortRequest(hostIp, first, last, container[0] + i, pp[1]));
        }
        return out;
    }

    /** {@code PORT[/PROTO]} into port and lower-case protocol (default tcp). */
    private static String[] splitProto(String s) {
        int slash = s.indexOf('/');
        String port = slash < 0 ? s : s.substring(0, slash);
        String proto = slash < 0 ? "tcp" : s.substring(slash + 1).toLowerCase(Locale.ROOT);
        if (port.isEmpty()) throw new IllegalArgumentException("no container port");
        if (!proto.equals("tcp") && !proto.equals("udp") && !proto.equals("sctp")) {
            throw new IllegalArgumentException("invalid protocol \"" + proto + "\": tcp, udp or sctp");
        }
        return new String[] {port, proto};
    }

    /** {@code N} or {@code N-M} (N <= M), ports 0-65535; 0 is allowed for host ports only. */
    private static int[] range(String s, String what) {
        int dash = s.indexOf('-');
        int first = port(dash < 0 ? s : s.substring(0, dash), s, what);
        int last = dash < 0 ? first : port(s.substring(dash + 1), s, what);
        if (first > last) throw new IllegalArgumentException("invalid " + what + " range \"" + s + "\": start above end");
        if (what.equals("container port") && first == 0) {
            throw new IllegalArgumentException("invalid " + what + " \"" + s + "\": 1-65535");
        }
        return new int[] {first, last};
    }

    private static int port(String digits, String whole, String what) {
        if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("invalid " + what + " \"" + whole + "\"");
        }
        int p = Integer.parseInt(digits);
        if (p > 65535) throw new IllegalArgumentException("invalid " + what + " \"" + whole + "\": 0-65535");
        return p;
    }

    /** An IP literal as Go's {@code net.ParseIP} takes it: dotted-quad IPv4 or IPv6, no zone. */
    static boolean isIp(String s) {
        if (s.indexOf(':') < 0) return IPV4.matcher(s).matches();
        if (s.indexOf('%') >= 0 || s.indexOf('[') >= 0) return false;
        try {
            Inet6Address.ofLiteral(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
