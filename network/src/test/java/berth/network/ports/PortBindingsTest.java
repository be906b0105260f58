package berth.network.ports;

import berth.network.Endpoint;
import berth.network.PortMapping;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The JSON shapes of Docker's inspect output: NetworkSettings.Ports and HostConfig.PortBindings (api/types/nat). */
class PortBindingsTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void networkSettingsPorts() throws Exception {
        // `docker run -p 8080:80 -p 127.0.0.1::53/udp --expose 443 ...` then `docker inspect -f '{{json .NetworkSettings.Ports}}'`:
        // keys sorted as Go sorts map keys, HostPort a string, unpublished exposed ports null.
        var ports = PortBindings.networkSettings(
                List.of(new PortMapping(null, 8080, 80, "tcp"), new PortMapping("127.0.0.1", 32768, 53, "udp")),
                List.of("80/tcp", "443/tcp", "53/udp"));
        assertEquals("{\"443/tcp\":null,"
                + "\"53/udp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"32768\"}],"
                + "\"80/tcp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"8080\"}]}", json.writeValueAsString(ports));
    }

    @Test
    void fromEndpointsWithOnePortBoundTwice() throws Exception {
        Endpoint a = new Endpoint("id", "web", "bridge", "eth0", "172.17.0.2", 16, "172.17.0.1", null, List.of(),
                List.of(new PortMapping(null, 32768, 80, "tcp"), new PortMapping("127.0.0.1", 9000, 80, "tcp")));
        assertEquals("{\"80/tcp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"32768\"},{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"9000\"}]}",
                json.writeValueAsString(PortBindings.ofEndpoints(List.of(a), List.of())));
    }

    @Test
    void hostConfigPortBindingsAsRequested() throws Exception {
        // HostConfig.PortBindings keeps the request: "" for any address / any port, "8000-8010" for a range.
        var bindings = PortBindings.hostConfig(PortSpecs.parse(List.of("8080:80", "127.0.0.1::81", "8000-8010:82/udp")));
        assertEquals("{\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"8080\"}],"
                + "\"81/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"\"}],"
                + "\"82/udp\":[{\"HostIp\":\"\",\"HostPort\":\"8000-8010\"}]}", json.writeValueAsString(bindings));
    }
}
