package berth.network.names;

import java.util.List;

/**
 * A container's DNS overrides: {@code --dns}, {@code --dns-search}, {@code --dns-option}. An empty list means "as the
 * host has it".
 *
 * @param servers nameserver addresses (IP literals); a loopback address here means the container's own loopback
 * @param search  search domains; {@code .} alone means "no search domains"
 * @param options resolver options, e.g. {@code ndots:2}
 */
public record DnsConfig(List<String> servers, List<String> search, List<String> options) {
    public static final DnsConfig NONE = new DnsConfig(List.of(), List.of(), List.of());

    public DnsConfig {
        servers = servers == null ? List.of() : List.copyOf(servers);
        search = search == null ? List.of() : List.copyOf(search);
        options = options == null ? List.of() : List.copyOf(options);
        for (String s : servers) {
            if (!IpLiterals.isIp(s)) throw new IllegalArgumentException("invalid nameserver \"" + s + "\": not an IP address");
        }
    }

    public boolean isEmpty() {
        return servers.isEmpty() && search.isEmpty() && options.isEmpty();
    }
}
