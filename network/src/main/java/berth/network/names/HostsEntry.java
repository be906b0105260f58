package berth.network.names;

import java.util.List;
import java.util.Objects;

/**
 * One line of {@code /etc/hosts}: an address and the names that resolve to it, written as Docker writes it,
 * {@code IP<TAB>name name...}.
 */
public record HostsEntry(String ip, List<String> names) {
    /** The {@code --add-host} value that stands for the host's address as seen from a container. */
    public static final String HOST_GATEWAY = "host-gateway";

    public HostsEntry {
        Objects.requireNonNull(ip, "ip");
        names = List.copyOf(names);
        if (names.isEmpty()) throw new IllegalArgumentException("hosts entry for " + ip + " has no names");
    }

    public HostsEntry(String ip, String... names) {
        this(ip, List.of(names));
    }

    /** The line without its newline. */
    public String line() {
        return ip + "\t" + String.join(" ", names);
    }

    /**
     * Parses Docker's {@code --add-host} value: {@code NAME:IP} (split at the first colon, so IPv6 needs no brackets),
     * {@code NAME=IP}, an address in square brackets ({@code NAME=[::1]}), or {@code NAME:host-gateway}. The address is
     * kept as the user wrote it, as Docker does.
     *
     * @param hostGatewayIp what {@code host-gateway} stands for (Docker: the default bridge's gateway), or null if
     *                      there is none
     * @throws IllegalArgumentException with Docker's one-line messages ({@code bad format for add-host: "x"},
     *                                  {@code invalid IP address in add-host: "x"})
     */
    public static HostsEntry parseAddHost(String spec, String hostGatewayIp) {
        int eq = spec.indexOf('=');
        int cut = eq >= 0 ? eq : spec.indexOf(':');
        if (cut <= 0 || spec.substring(0, cut).indexOf(':') >= 0) {
            throw new IllegalArgumentException("bad format for add-host: \"" + spec + "\"");
        }
        String name = spec.substring(0, cut);
        String ip = spec.substring(cut + 1);
        if (ip.equals(HOST_GATEWAY)) {
            if (hostGatewayIp == null) {
                throw new IllegalArgumentException("invalid add-host \"" + spec + "\": no host-gateway address is known");
            }
            return new HostsEntry(hostGatewayIp, name);
        }
        if (ip.length() > 2 && ip.startsWith("[") && ip.endsWith("]")) ip = ip.substring(1, ip.length() - 1);
        if (!IpLiterals.isIp(ip)) throw new IllegalArgumentException("invalid IP address in add-host: \"" + ip + "\"");
        return new HostsEntry(ip, name);
    }
}
