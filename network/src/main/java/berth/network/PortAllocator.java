package berth.network;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Host ports for published ports. A port is free when it can be bound on the host address for its
 * protocol (SCTP is tested as TCP) and is not already published through a CNI portmap DNAT rule (those
 * take the traffic without binding anything). A free port is one the kernel hands out for port 0, from its
 * ephemeral range, as Docker does.
 */
final class PortAllocator {
    private static final Pattern DNAT_RULE = Pattern.compile("^-A CNI-HOSTPORT-DNAT -p (\\w+) .*--dports (\\S+)");

    private final Commands cmds;

    PortAllocator(Commands cmds) {
        this.cmds = cmds;
    }

    /**
     * Host ports for {@code requested}: a zero becomes a free port, an explicit one must be free; neither may
     * clash with {@code ours} (what this root publishes already), with another CNI user's published ports,
     * or with each other. Host IPs come back normalized (null for every address). Call with the root's lock
     * held, so two attaches cannot take the same port.
     */
    List<PortMapping> allocate(List<PortMapping> requested, List<PortMapping> ours) {
        if (requested.isEmpty()) return List.of();
        List<Taken> taken = new ArrayList<>();
        for (PortMapping p : ours) taken.add(new Taken(p.protocol(), p.hostPort(), normalIp(p.hostIp())));
        for (Published p : publishedOnHost()) taken.add(new Taken(p.protocol(), p.port(), null));
        List<PortMapping> out = new ArrayList<>();
        for (PortMapping p : requested) {
            String ip = normalIp(p.hostIp());
            String shown = (ip == null ? "0.0.0.0" : ip) + ":";
            int port = p.hostPort();
            if (port == 0) {
                for (int attempt = 0; ; attempt++) {
                    int candidate = ephemeral(ip, p.protocol());
                    if (taken.stream().noneMatch(t -> t.clashes(p.protocol(), candidate, ip))) {
                        port = candidate;
                        break;
                    }
                    if (attempt > 100) throw new NetworkException.Conflict("no free host port for " + shown + "0/" + p.protocol());
                }
            } else {
                int wanted = port;
                if (taken.stream().anyMatch(t -> t.clashes(p.protocol(), wanted, ip))) {
                    throw new NetworkException.Conflict("Bind for " + shown + port + " failed: port is already allocated");
                }
                String problem = bindProblem(ip, port, p.protocol());
                if (problem != null) throw new NetworkException.Conflict("Bind for " + shown + port + "/" + p.protocol() + " failed: " + problem);
            }
            taken.add(new Taken(p.protocol(), port, ip));
            out.add(new PortMapping(ip, port, p.containerPort(), p.protocol()));
        }
        return out;
    }

    /** A port in use: null {@code hostIp} is every address, which clashes with any. */
    private record Taken(String protocol, int port, String hostIp) {
        boolean clashes(String proto, int p, String ip) {
            return protocol.equals(proto) && port == p && (hostIp == null || ip == null || hostIp.equals(ip));
        }
    }

    static boolean isAnyAddress(String hostIp) {
        return hostIp == null || hostIp.isEmpty() || hostIp.equals("0.0.0.0") || hostIp.equals("::");
    }

    /** Null for every address; otherwise the IPv4 address in canonical form. */
    static String normalIp(String hostIp) {
        if (isAnyAddress(hostIp)) return null;
        if (hostIp.contains(":")) throw new NetworkException.Invalid("invalid host IP " + hostIp + ": only IPv4 addresses can be published");
        return Ipv4Subnet.format(Ipv4Subnet.parseAddress(hostIp));
    }

    /** A published port as protocol and number. */
    record Published(String protocol, int port) {}

    /** The ports every CNI user on this host publishes (portmap's rules in the nat table). */
    List<Published> publishedOnHost() {
        List<Published> out = new ArrayList<>();
        Commands.Result r = cmds.run(List.of("iptables", "-w", "-t", "nat", "-S", "CNI-HOSTPORT-DNAT"), null);
        if (!r.ok()) return out;
        for (String line : r.stdout().split("\n")) {
            Matcher m = DNAT_RULE.matcher(line);
            if (!m.find()) continue;
            for (String part : m.group(2).split(",")) {
                String[] range = part.split(":");
                try {
                    int lo = Integer.parseInt(range[0]), hi = range.length > 1 ? Integer.parseInt(range[1]) : lo;
                    for (int p = lo; p <= hi && p <= 65535; p++) out.add(new Published(m.group(1), p));
                } catch (NumberFormatException ignored) {
                    // not a port list we understand
                }
            }
        }
        return out;
    }

    /** Null if {@code port} can be bound on {@code hostIp} (null: every address) for {@code protocol}, else why not. */
    String bindProblem(String hostIp, int port, String protocol) {
        InetSocketAddress at = new InetSocketAddress(address(hostIp), port);
        try {
            if (protocol.equals("udp")) {
                try (DatagramSocket s = new DatagramSocket(null)) {
                    s.bind(at);
                }
            } else {
                try (ServerSocket s = new ServerSocket()) {
                    s.bind(at);
                }
            }
            return null;
        } catch (IOException e) {
            return e.getMessage() == null ? e.toString() : e.getMessage();
        }
    }

    /** A port the kernel offers for binding {@code hostIp} with {@code protocol}. */
    int ephemeral(String hostIp, String protocol) {
        InetSocketAddress at = new InetSocketAddress(address(hostIp), 0);
        try {
            if (protocol.equals("udp")) {
                try (DatagramSocket s = new DatagramSocket(null)) {
                    s.bind(at);
                    return s.getLocalPort();
                }
            }
            try (ServerSocket s = new ServerSocket()) {
                s.bind(at);
                return s.getLocalPort();
            }
        } catch (IOException e) {
            throw new NetworkException.Invalid("cannot bind a port on " + (hostIp == null ? "0.0.0.0" : hostIp) + ": " + e.getMessage());
        }
    }

    private static InetAddress address(String hostIp) {
        try {
            return InetAddress.getByName(hostIp == null ? "0.0.0.0" : hostIp);
        } catch (UnknownHostException e) {
            throw new NetworkException.Invalid("invalid host IP \"" + hostIp + "\"");
        }
    }
}
