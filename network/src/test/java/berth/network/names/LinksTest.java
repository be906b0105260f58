package berth.network.names;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Expected values from Docker's daemon/links/links_test.go and the order of links.go ToEnv. */
class LinksTest {
    @Test
    void onePort() {
        // TestLinkEnv: NewLink(_, "172.0.17.2", "/db/docker", ["PASSWORD=gordon"], {6379/tcp})
        assertEquals(List.of(
                "DOCKER_PORT=tcp://172.0.17.2:6379",
                "DOCKER_PORT_6379_TCP=tcp://172.0.17.2:6379",
                "DOCKER_PORT_6379_TCP_ADDR=172.0.17.2",
                "DOCKER_PORT_6379_TCP_PORT=6379",
                "DOCKER_PORT_6379_TCP_PROTO=tcp",
                "DOCKER_NAME=/db/docker",
                "DOCKER_ENV_PASSWORD=gordon"),
                Links.env("/db", "docker", "172.0.17.2", Set.of("6379/tcp"), List.of("PASSWORD=gordon")));
    }

    @Test
    void aliasIsUpperCasedWithUnderscores() {
        // TestLinkNaming: "/db/docker-1" gives DOCKER_1_PORT
        List<String> env = Links.env("db", "docker-1", "172.0.17.2", Set.of("6379"), List.of());
        assertEquals("DOCKER_1_PORT=tcp://172.0.17.2:6379", env.getFirst());
        assertEquals("DOCKER_1_NAME=/db/docker-1", env.getLast());
    }

    @Test
    void consecutivePortsGetRangeVariablesAfterTheRun() {
        // TestLinkMultipleEnv / TestLinkPortRangeEnv: 6379-6381/tcp
        assertEquals(List.of(
                "DB_PORT=tcp://172.0.17.2:6379",
                "DB_PORT_6379_TCP=tcp://172.0.17.2:6379",
                "DB_PORT_6379_TCP_ADDR=172.0.17.2",
                "DB_PORT_6379_TCP_PORT=6379",
                "DB_PORT_6379_TCP_PROTO=tcp",
                "DB_PORT_6380_TCP=tcp://172.0.17.2:6380",
                "DB_PORT_6380_TCP_ADDR=172.0.17.2",
                "DB_PORT_6380_TCP_PORT=6380",
                "DB_PORT_6380_TCP_PROTO=tcp",
                "DB_PORT_6381_TCP=tcp://172.0.17.2:6381",
                "DB_PORT_6381_TCP_ADDR=172.0.17.2",
                "DB_PORT_6381_TCP_PORT=6381",
                "DB_PORT_6381_TCP_PROTO=tcp",
                "DB_PORT_6379_TCP_START=tcp://172.0.17.2:6379",
                "DB_PORT_6379_TCP_PORT_START=6379",
                "DB_PORT_6379_TCP_END=tcp://172.0.17.2:6381",
                "DB_PORT_6379_TCP_PORT_END=6381",
                "DB_NAME=/web/db"),
                Links.env("web", "db", "172.0.17.2", Set.of("6381/tcp", "6379/tcp", "6380/tcp"), List.of()));
    }

    @Test
    void tcpFirstThenOtherProtocolsAndARunEndedByAGap() {
        // links.go withTCPPriority: TCP before everything, then by protocol name, then by number. A run's range
        // variables come after the first port that does not extend it.
        List<String> env = Links.env("web", "dns", "10.0.0.9", Set.of("53/udp", "54/udp", "8080/tcp", "80/tcp", "81/tcp"),
                List.of("HOME=/root", "PATH=/usr/bin", "TZ=UTC", "MALFORMED"));
        assertEquals(List.of(
                "DNS_PORT=tcp://10.0.0.9:80",
                "DNS_PORT_80_TCP=tcp://10.0.0.9:80", "DNS_PORT_80_TCP_ADDR=10.0.0.9", "DNS_PORT_80_TCP_PORT=80", "DNS_PORT_80_TCP_PROTO=tcp",
                "DNS_PORT_81_TCP=tcp://10.0.0.9:81", "DNS_PORT_81_TCP_ADDR=10.0.0.9", "DNS_PORT_81_TCP_PORT=81", "DNS_PORT_81_TCP_PROTO=tcp",
                "DNS_PORT_8080_TCP=tcp://10.0.0.9:8080", "DNS_PORT_8080_TCP_ADDR=10.0.0.9", "DNS_PORT_8080_TCP_PORT=8080", "DNS_PORT_8080_TCP_PROTO=tcp",
                "DNS_PORT_80_TCP_START=tcp://10.0.0.9:80", "DNS_PORT_80_TCP_PORT_START=80",
                "DNS_PORT_80_TCP_END=tcp://10.0.0.9:81", "DNS_PORT_80_TCP_PORT_END=81",
                "DNS_PORT_53_UDP=udp://10.0.0.9:53", "DNS_PORT_53_UDP_ADDR=10.0.0.9", "DNS_PORT_53_UDP_PORT=53", "DNS_PORT_53_UDP_PROTO=udp",
                "DNS_PORT_54_UDP=udp://10.0.0.9:54", "DNS_PORT_54_UDP_ADDR=10.0.0.9", "DNS_PORT_54_UDP_PORT=54", "DNS_PORT_54_UDP_PROTO=udp",
                "DNS_PORT_53_UDP_START=udp://10.0.0.9:53", "DNS_PORT_53_UDP_PORT_START=53",
                "DNS_PORT_53_UDP_END=udp://10.0.0.9:54", "DNS_PORT_53_UDP_PORT_END=54",
                "DNS_NAME=/web/dns",
                "DNS_ENV_TZ=UTC"), env);
    }

    @Test
    void noPortsJustNameAndEnv() {
        assertEquals(List.of("DB_NAME=/web/db", "DB_ENV_A=b=c"), Links.env("/web", "db", "10.0.0.2", Set.of(), List.of("A=b=c")));
    }

    @Test
    void badExposedPortIsOneLine() {
        assertEquals("invalid exposed port \"80/icmp\": protocol is tcp, udp or sctp", assertThrows(IllegalArgumentException.class,
                () -> Links.env("web", "db", "10.0.0.2", Set.of("80/icmp"), List.of())).getMessage());
    }
}
