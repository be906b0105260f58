package berth.network;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Subnet arithmetic, the host's routes as /proc/net/route shows them, and the default pools. */
class SubnetsTest {

    @Test
    void subnetsParseStrictlyAndKnowTheirAddresses() {
        Ipv4Subnet s = Ipv4Subnet.parse("172.18.0.0/16");
        assertEquals("172.18.0.0/16", s.toString());
        assertEquals("172.18.0.1", Ipv4Subnet.format(s.firstHost()));
        assertEquals("172.18.255.255", Ipv4Subnet.format(s.broadcast()));
        assertTrue(s.isHost(Ipv4Subnet.parseAddress("172.18.3.4")));
        assertFalse(s.isHost(s.base()));
        assertFalse(s.isHost(s.broadcast()));
        assertFalse(s.isHost(Ipv4Subnet.parseAddress("172.19.0.1")));
        NetworkException e = assertThrows(NetworkException.Invalid.class, () -> Ipv4Subnet.parse("10.1.2.3/16"));
        assertEquals("invalid subnet 10.1.2.3/16: it should be 10.1.0.0/16", e.getMessage());
        for (String bad : List.of("10.0.0.0", "10.0.0/8", "10.0.0.256/24", "10.0.0.0/33", "a.b.c.d/8", "10.0.0.0/x", "01234.0.0.0/8")) {
            assertThrows(NetworkException.Invalid.class, () -> Ipv4Subnet.parse(bad), bad);
        }
        assertEquals("255.255.255.255", Ipv4Subnet.format(Ipv4Subnet.parseAddress("255.255.255.255")));
    }

    @Test
    void overlapIsContainmentEitherWay() {
        Ipv4Subnet big = Ipv4Subnet.parse("192.168.0.0/16");
        assertTrue(big.overlaps(Ipv4Subnet.parse("192.168.32.0/20")));
        assertTrue(Ipv4Subnet.parse("192.168.32.0/20").overlaps(big));
        assertFalse(Ipv4Subnet.parse("192.168.0.0/20").overlaps(Ipv4Subnet.parse("192.168.16.0/20")));
        assertTrue(Ipv4Subnet.parse("0.0.0.0/0").overlaps(big));
    }

    @Test
    void hostRoutesComeFromProcNetRouteWithoutTheDefault(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("route");
        Files.writeString(f, """
                Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
                eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0
                eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
                br-1\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
                """);
        List<HostRoutes.Route> routes = new HostRoutes(f).list();
        assertEquals(List.of(new HostRoutes.Route("eth0", Ipv4Subnet.parse("192.0.2.0/24")),
                new HostRoutes.Route("br-1", Ipv4Subnet.parse("172.17.0.0/16"))), routes);
        assertEquals(List.of(), new HostRoutes(tmp.resolve("absent")).list());
    }

    @Test
    void theDefaultPoolsAreTriedInDockersOrder() {
        assertEquals("172.17.0.0/16", SubnetChooser.choose(List.of()).toString());
        assertEquals("172.19.0.0/16", SubnetChooser.choose(List.of(Ipv4Subnet.parse("172.17.0.0/16"), Ipv4Subnet.parse("172.18.5.0/24"))).toString());
        assertEquals("192.168.0.0/20", SubnetChooser.choose(List.of(Ipv4Subnet.parse("172.16.0.0/12"))).toString());
        assertEquals("192.168.32.0/20", SubnetChooser.choose(List.of(Ipv4Subnet.parse("172.16.0.0/12"), Ipv4Subnet.parse("192.168.0.0/19"))).toString());
        assertThrows(NetworkException.Conflict.class,
                () -> SubnetChooser.choose(List.of(Ipv4Subnet.parse("172.16.0.0/12"), Ipv4Subnet.parse("192.168.0.0/16"))));
        assertEquals(31, SubnetChooser.CANDIDATES.size());
    }
}
