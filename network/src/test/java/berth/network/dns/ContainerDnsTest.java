package berth.network.dns;

import berth.network.Endpoint;
import berth.network.names.NameBook;
import berth.sys.RecordingSyscalls;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static berth.network.dns.DnsMessageTest.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** What each container resolves; the servers' start and stop are in {@link EmbeddedDnsTest}. */
class ContainerDnsTest {
    private static final String A = "a".repeat(64), B = "b".repeat(64), C = "c".repeat(64);

    private static Endpoint ep(String id, String name, String network, String ip, String... aliases) {
        return new Endpoint(id, name, network, "eth0", ip, 16, null, null, List.of(aliases), List.of());
    }

    private final DnsServer server = new DnsServer(List.of(), Duration.ofMillis(100), new RecordingSyscalls());

    private ContainerDns dns(Map<String, List<Endpoint>> networks) {
        return new ContainerDns(server, new NameBook(), id -> Optional.empty(), networks);
    }

    @Test
    void aContainerResolvesEveryoneOnItsUserDefinedNetworksByNameAliasAndShortId() throws Exception {
        ContainerDns dns = dns(Map.of(
                "front", List.of(ep(A, "/alpha", "front", "10.1.0.2"), ep(B, "beta", "front", "10.1.0.3", "b", "Web")),
                "back", List.of(ep(B, "beta", "back", "10.2.0.3"), ep(C, "gamma", "back", "10.2.0.4")),
                "bridge", List.of(ep(A, "alpha", "bridge", "172.17.0.2"), ep(C, "gamma", "bridge", "172.17.0.4"))));

        assertEquals(List.of(ip("10.1.0.3")), dns.resolve(A, "beta"));
        assertEquals(List.of(ip("10.1.0.3")), dns.resolve(A, "B."));
        assertEquals(List.of(ip("10.1.0.3")), dns.resolve(A, "web"));
        assertEquals(List.of(ip("10.1.0.3")), dns.resolve(A, "bbbbbbbbbbbb"));
        assertEquals(List.of(ip("10.1.0.2")), dns.resolve(A, "alpha"), "its own name");
        assertEquals(List.of(), dns.resolve(A, "gamma"), "only shared on the default network, which resolves no names");
        assertEquals(List.of(ip("10.2.0.3"), ip("10.1.0.3")), dns.resolve(B, "beta"), "one address per network, in network order");
        assertEquals(List.of(ip("10.2.0.4")), dns.resolve(B, "gamma"));
        assertEquals(List.of(), dns.resolve(C, "b"), "an alias on a network it is not on");
        assertEquals(List.of(), dns.resolve(A, "nope"));
    }

    @Test
    void aContainerThatJoinsLaterIsResolvableAtOnce() throws Exception {
        ContainerDns dns = dns(Map.of("front", List.of(ep(A, "alpha", "front", "10.1.0.2"))));
        assertEquals(List.of(), dns.resolve(A, "beta"));
        Endpoint beta = ep(B, "beta", "front", "10.1.0.3");
        dns.joined(beta, Map.of("front", List.of(ep(A, "alpha", "front", "10.1.0.2"), beta)));
        assertEquals(List.of(ip("10.1.0.3")), dns.resolve(A, "beta"));
        dns.left(beta, Map.of("front", List.of(ep(A, "alpha", "front", "10.1.0.2"))));
        assertEquals(List.of(), dns.resolve(A, "beta"));
        assertEquals(Map.of(), dns.served(), "no namespace known, no server");
    }
}
