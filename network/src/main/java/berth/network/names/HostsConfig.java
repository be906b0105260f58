package berth.network.names;

import java.util.List;
import java.util.Objects;

/**
 * What a container itself says about its {@code /etc/hosts}, apart from what the networks say.
 *
 * @param hostname   its hostname (Docker's default: the short container ID)
 * @param domainname its domain name ({@code --domainname}), or null
 * @param extraHosts {@code --add-host} entries, see {@link HostsEntry#parseAddHost}
 */
public record HostsConfig(String hostname, String domainname, List<HostsEntry> extraHosts) {
    public HostsConfig {
        Objects.requireNonNull(hostname, "hostname");
        if (hostname.isBlank()) throw new IllegalArgumentException("empty hostname");
        if (domainname != null && domainname.isBlank()) domainname = null;
        extraHosts = extraHosts == null ? List.of() : List.copyOf(extraHosts);
    }

    public static HostsConfig of(String hostname) {
        return new HostsConfig(hostname, null, List.of());
    }

    /**
     * The names of the container's own entries, as Docker's sandbox writes them: the FQDN
     * ({@code hostname.domainname}) and, when it has a dot, the part before the first dot.
     */
    public List<String> ownNames() {
        String fqdn = domainname == null ? hostname : hostname + "." + domainname;
        int dot = fqdn.indexOf('.');
        return dot > 0 ? List.of(fqdn, fqdn.substring(0, dot)) : List.of(fqdn);
    }
}
