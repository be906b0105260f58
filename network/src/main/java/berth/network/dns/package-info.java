/**
 * The embedded DNS server Docker gives each container on a user-defined network, at {@code 127.0.0.11:53} inside the
 * container's network namespace: it answers for the names of the containers that share a name-resolving network with
 * the asking one (their names, aliases and short IDs, as {@link berth.network.names.NameBook} sees them) and forwards
 * every other query to the host's nameservers.
 *
 * <p>{@link berth.network.dns.DnsServer} is the server: one object, one UDP socket per namespace (opened from a thread
 * that entered the namespace, through {@link berth.sys.Syscalls#inNetworkNamespace}), forwarding from the host's
 * namespace. {@link berth.network.dns.ContainerDns} connects it to the networks service: as endpoints join and leave it
 * starts and stops the servers and answers each container's queries from the current endpoints. The wire format is
 * {@code DnsMessage}'s, the little of RFC 1035 that this needs.
 */
package berth.network.dns;
