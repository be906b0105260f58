package berth.network.ports;

import berth.network.PortMapping;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Forms and their meaning from Docker's go-connections nat.ParsePortSpec (splitParts, ParsePortRange). */
class PortSpecsTest {
    private static PortMapping map(String ip, int host, int container, String proto) {
        return new PortMapping(ip, host, container, proto);
    }

    @Test
    void dockerForms() {
        assertEquals(List.of(map(null, 0, 80, "tcp")), PortSpecs.mappings(List.of("80")));
        assertEquals(List.of(map(null, 8080, 80, "tcp")), PortSpecs.mappings(List.of("8080:80")));
        assertEquals(List.of(map("127.0.0.1", 8080, 80, "tcp")), PortSpecs.mappings(List.of("127.0.0.1:8080:80")));
        assertEquals(List.of(map("127.0.0.1", 0, 80, "tcp")), PortSpecs.mappings(List.of("127.0.0.1::80")));
        assertEquals(List.of(map(null, 8080, 80, "udp")), PortSpecs.mappings(List.of("8080:80/udp")));
        assertEquals(List.of(map(null, 8080, 80, "udp")), PortSpecs.mappings(List.of("8080:80/UDP"))); // lower-cased
        assertEquals(List.of(map(null, 0, 9, "sctp")), PortSpecs.mappings(List.of("9/sctp")));
        assertEquals(List.of(map(null, 0, 80, "tcp")), PortSpecs.mappings(List.of("0:80"))); // 0: any free port
    }

    @Test
    void ipv6HostAddresses() {
        assertEquals(List.of(map("::1", 8080, 80, "tcp")), PortSpecs.mappings(List.of("[::1]:8080:80")));
        // splitParts: everything before the last two colons is the address, brackets or not.
        assertEquals(List.of(map("::1", 8080, 80, "tcp")), PortSpecs.mappings(List.of("::1:8080:80")));
        assertEquals(List.of(map("2001:db8::1", 0, 53, "udp")), PortSpecs.mappings(List.of("[2001:db8::1]::53/udp")));
    }

    @Test
    void rangesOfEqualLengthArePaired() {
        List<PortMapping> m = PortSpecs.mappings(List.of("8000-8002:80-82"));
        assertEquals(List.of(map(null, 8000, 80, "tcp"), map(null, 8001, 81, "tcp"), map(null, 8002, 82, "tcp")), m);
        assertEquals(List.of(map(null, 0, 80, "tcp"), map(null, 0, 81, "tcp")), PortSpecs.mappings(List.of("80-81")));
        assertEquals(List.of(map("10.0.0.1", 0, 80, "udp"), map("10.0.0.1", 0, 81, "udp")),
                PortSpecs.mappings(List.of("10.0.0.1::80-81/udp")));
    }

    @Test
    void hostRangeForOneContainerPortIsChosenLater() {
        // Docker: "Allow host port range iff containerPort is not a range ... use the host port range as the dynamic
        // host port range to allocate into."
        List<PortRequest> r = PortSpecs.parse("8000-8010:80");
        assertEquals(List.of(new PortRequest(null, 8000, 8010, 80, "tcp")), r);
        assertTrue(r.getFirst().isHostRange());
        assertEquals(map(null, 8002, 80, "tcp"), r.getFirst().choose(p -> p >= 8002));
        assertEquals("no free host port in 8000-8010 for 80/tcp",
                assertThrows(IllegalStateException.class, () -> r.getFirst().choose(p -> false)).getMessage());
        assertThrows(IllegalStateException.class, () -> r.getFirst().toMapping());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PortSpecs.mappings(List.of("8000-8010:80")));
        assertTrue(e.getMessage().startsWith("invalid port spec \"8000-8010:80\": a host port range"), e.getMessage());
        assertFalse(PortSpecs.parse("8080:80").getFirst().isHostRange());
    }

    @Test
    void errorsAreOneLine() {
        assertEquals("invalid port spec \"x:y:z:w\": invalid IP address \"x:y\"", error("x:y:z:w"));
        assertEquals("invalid port spec \"1.2.3:80:80\": invalid IP address \"1.2.3\"", error("1.2.3:80:80"));
        assertEquals("invalid port spec \"8080:\": no container port", error("8080:"));
        assertEquals("invalid port spec \"\": no container port", error(""));
        assertEquals("invalid port spec \"80/icmp\": invalid protocol \"icmp\": tcp, udp or sctp", error("80/icmp"));
        assertEquals("invalid port spec \"http\": invalid container port \"http\"", error("http"));
        assertEquals("invalid port spec \"0\": invalid container port \"0\": 1-65535", error("0"));
        assertEquals("invalid port spec \"70000:80\": invalid host port \"70000\": 0-65535", error("70000:80"));
        assertEquals("invalid port spec \"90-80\": invalid container port range \"90-80\": start above end", error("90-80"));
        assertEquals("invalid port spec \"8000-8001:80-90\": host ports 8000-8001 and container ports 80-90 are ranges of different lengths",
                error("8000-8001:80-90"));
        assertEquals("invalid port spec \"8000:80-90\": host ports 8000 and container ports 80-90 are ranges of different lengths",
                error("8000:80-90"));
        assertEquals("invalid port spec \"[::1:80:80\": invalid IP address \"[::1\"", error("[::1:80:80"));
    }

    private static String error(String spec) {
        return assertThrows(IllegalArgumentException.class, () -> PortSpecs.parse(spec)).getMessage();
    }

    @Test
    void publishAllGivesEveryExposedPortAFreeHostPort() {
        // -P: each exposed port on hostPort 0 (attach fills in the port), in port order.
        assertEquals(List.of(map(null, 0, 53, "udp"), map(null, 0, 80, "tcp"), map(null, 0, 443, "tcp")),
                PortSpecs.publishAll(List.of("443/tcp", "80", "53/udp")));
        assertEquals(List.of(map(null, 0, 8000, "tcp"), map(null, 0, 8001, "tcp")), PortSpecs.publishAll(Set.of("8000-8001/tcp")));
        // Beside -p: a port with an explicit binding is not published again.
        assertEquals(List.of(map(null, 0, 443, "tcp")),
                PortSpecs.publishAll(List.of("80/tcp", "443/tcp"), PortSpecs.parse("8080:80")));
        assertEquals("invalid exposed port \"abc/tcp\": invalid port \"abc\"",
                assertThrows(IllegalArgumentException.class, () -> PortSpecs.publishAll(List.of("abc/tcp"))).getMessage());
    }
}
