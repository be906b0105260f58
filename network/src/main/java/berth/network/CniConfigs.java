package berth.network;

import berth.network.cni.CniConfigList;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The CNI configuration list of a berth network:
 * <ol>
 * <li>{@code bridge}: the network's bridge device as the gateway ({@code isGateway}), hairpin mode on the
 *     ports (a container reaches its own published ports through the host's addresses), outbound
 *     masquerade unless the network is internal; addresses from {@code host-local} over the network's
 *     subnet, with berth's own data directory, and a default route unless the network is internal;</li>
 * <li>{@code portmap} (not on internal networks): published ports as DNAT rules, taken from the
 *     {@code portMappings} capability, with {@code snat} so that the host's own connections (127.0.0.1,
 *     hairpin) are masqueraded and {@code route_localnet} is set on the bridge.</li>
 * </ol>
 * The loopback interface is not in the list; attach brings it up separately. The firewall plugin is not
 * either: berth's own rules ({@link FirewallRules}) accept the networks' forwarded traffic per network
 * rather than per container, and also isolate the networks from each other, which the plugin does not.
 */
final class CniConfigs {
    static final String CNI_VERSION = "1.0.0";

    private CniConfigs() {}

    static CniConfigList conflist(Network n, Path ipamDataDir) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode bridge = f.objectNode();
        bridge.put("type", "bridge");
        bridge.put("bridge", n.bridge());
        bridge.put("isGateway", true);
        bridge.put("ipMasq", !n.internal());
        bridge.put("hairpinMode", true);
        ObjectNode ipam = bridge.putObject("ipam");
        ipam.put("type", "host-local");
        ipam.putArray("ranges").addArray().addObject().put("subnet", n.subnet()).put("gateway", n.gateway());
        if (!n.internal()) ipam.putArray("routes").addObject().put("dst", "0.0.0.0/0");
        ipam.put("dataDir", ipamDataDir.toString());
        List<ObjectNode> plugins = new ArrayList<>(List.of(bridge));
        if (!n.internal()) {
            ObjectNode portmap = f.objectNode();
            portmap.put("type", "portmap");
            portmap.putObject("capabilities").put("portMappings", true);
            portmap.put("snat", true);
            plugins.add(portmap);
        }
        return new CniConfigList(CNI_VERSION, n.name(), false, plugins);
    }

    /** The loopback plugin's configuration. */
    static ObjectNode loopback() {
        ObjectNode lo = JsonNodeFactory.instance.objectNode();
        lo.put("type", "loopback");
        return lo;
    }
}
