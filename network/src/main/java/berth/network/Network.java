package berth.network;

import java.util.Map;

/**
 * A named network as berth stores it: a Linux bridge with its own IPv4 subnet, addresses from that subnet
 * (CNI host-local), outbound NAT unless {@code internal}.
 *
 * @param name     the user's name ({@code bridge} is the default network)
 * @param id       64 hex digits, as Docker shows network IDs
 * @param driver   {@code bridge} ({@code host} and {@code none} are modes, not stored networks)
 * @param subnet   CIDR, e.g. {@code 172.18.0.0/16}
 * @param gateway  the bridge's address, e.g. {@code 172.18.0.1}
 * @param bridge   the Linux bridge device, e.g. {@code br-0123456789ab}
 * @param internal no outbound NAT
 */
public record Network(String name, String id, String driver, String subnet, String gateway, String bridge,
                      boolean internal, Map<String, String> labels, String created) {}
