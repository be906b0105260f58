package berth.network;

import java.util.List;

/**
 * A container's place on a network, as attach made it: its address, gateway and MAC, and its published
 * ports with the host ports actually bound.
 */
public record Endpoint(String containerId, String containerName, String network, String ifname, String ip,
                       int prefixLength, String gateway, String mac, List<String> aliases, List<PortMapping> ports) {
    public Endpoint {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        ports = ports == null ? List.of() : List.copyOf(ports);
    }
}
