package berth.network;

import java.nio.file.Path;
import java.util.List;

/**
 * Put a container's network namespace on a network.
 *
 * @param containerId   the container's ID (CNI_CONTAINERID)
 * @param containerName its name, which other containers on the network resolve
 * @param netns         the namespace, e.g. {@code /proc/PID/ns/net} or a bind-mounted file
 * @param network       the network's name or ID
 * @param ifname        the interface inside, e.g. {@code eth0}
 * @param staticIp      an address to take instead of the next free one, or null
 * @param aliases       more names that resolve to this endpoint on this network
 * @param ports         ports to publish (host port 0: a free one is chosen)
 */
public record AttachRequest(String containerId, String containerName, Path netns, String network, String ifname,
                            String staticIp, List<String> aliases, List<PortMapping> ports) {
    public AttachRequest {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        ports = ports == null ? List.of() : List.copyOf(ports);
    }
}
