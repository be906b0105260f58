package berth.network.ports;

import berth.network.Endpoint;
import berth.network.PortMapping;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Published ports in the shapes of Docker's API (as {@code docker inspect} shows them), keyed by {@code PORT/PROTO}
 * in string order, the order Go's JSON encoder gives map keys.
 */
public final class PortBindings {
    /** Docker's {@code PortBinding}: {@code {"HostIp":"0.0.0.0","HostPort":"32768"}}, the port as a string. */
    public record Binding(@JsonProperty("HostIp") String hostIp, @JsonProperty("HostPort") String hostPort) {}

    private PortBindings() {}

    /**
     * {@code NetworkSettings.Ports}: every published port with the host address and port bound (an unspecified
     * address shows as {@code 0.0.0.0}, berth's networks being IPv4), and every exposed port that is not published,
     * with null. {@code {"80/tcp":[{"HostIp":"0.0.0.0","HostPort":"32768"}],"443/tcp":null}}
     *
     * @param published    the mappings attach made (host ports filled in)
     * @param exposedPorts the container's exposed ports ({@code 80/tcp}, {@code 80}, ranges)
     */
    public static Map<String, List<Binding>> networkSettings(Collection<PortMapping> published, Collection<String> exposedPorts) {
        Map<String, List<Binding>> out = new TreeMap<>();
        for (String exposed : exposedPorts) {
            for (PortMapping m : PortSpecs.exposedPort(exposed)) out.putIfAbsent(key(m), null);
        }
        for (PortMapping m : published) {
            String ip = m.hostIp() == null || m.hostIp().isEmpty() ? "0.0.0.0" : m.hostIp();
            List<Binding> list = out.get(key(m));
            if (list == null) out.put(key(m), list = new ArrayList<>());
            list.add(new Binding(ip, Integer.toString(m.hostPort())));
        }
        return out;
    }

    /** {@link #networkSettings} over the ports of a container's endpoints (each endpoint publishes its own). */
    public static Map<String, List<Binding>> ofEndpoints(Collection<Endpoint> endpoints, Collection<String> exposedPorts) {
        List<PortMapping> published = new ArrayList<>();
        for (Endpoint e : endpoints) published.addAll(e.ports());
        return networkSettings(published, exposedPorts);
    }

    /**
     * {@code HostConfig.PortBindings}, the bindings as asked for: {@code HostIp} empty for every address,
     * {@code HostPort} empty for any free port, {@code 8000-8010} for a range.
     * {@code {"80/tcp":[{"HostIp":"","HostPort":"8080"}]}}
     */
    public static Map<String, List<Binding>> hostConfig(Collection<PortRequest> requested) {
        Map<String, List<Binding>> out = new TreeMap<>();
        for (PortRequest r : requested) {
            String port = r.hostPortFirst() == 0 ? ""
                    : r.isHostRange() ? r.hostPortFirst() + "-" + r.hostPortLast() : Integer.toString(r.hostPortFirst());
            out.computeIfAbsent(r.port(), k -> new ArrayList<>()).add(new Binding(r.hostIp() == null ? "" : r.hostIp(), port));
        }
        return out;
    }

    private static String key(PortMapping m) {
        return m.containerPort() + "/" + m.protocol();
    }
}
