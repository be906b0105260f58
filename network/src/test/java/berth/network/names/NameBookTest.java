package berth.network.names;

import berth.network.Endpoint;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NameBookTest {
    static final String WEB = "aaaaaaaaaaaa1111111111111111111111111111111111111111111111111111";
    static final String DB = "bbbbbbbbbbbb2222222222222222222222222222222222222222222222222222";
    static final String CACHE = "cccccccccccc3333333333333333333333333333333333333333333333333333";

    static Endpoint ep(String id, String name, String network, String ip, String... aliases) {
        return new Endpoint(id, name, network, "eth0", ip, 16, null, null, List.of(aliases), List.of());
    }

    private final NameBook book = new NameBook();

    @Test
    void dnsNamesAreNameAliasesShortId() {
        // daemon/container_operations.go buildEndpointDNSNames: name, aliases, short ID, deduplicated.
        assertEquals(List.of("db", "database", "bbbbbbbbbbbb"), NameBook.dnsNames(ep(DB, "/db", "app", "10.0.0.3", "database", "DB")));
    }

    @Test
    void peersOnUserDefinedNetworksOnly() {
        Map<String, List<Endpoint>> networks = Map.of(
                "app", List.of(ep(WEB, "web", "app", "172.20.0.2"), ep(DB, "db", "app", "172.20.0.3", "database")),
                "bridge", List.of(ep(WEB, "web", "bridge", "172.17.0.2"), ep(CACHE, "cache", "bridge", "172.17.0.3")),
                "other", List.of(ep(CACHE, "cache", "other", "172.21.0.2")));

        // web sees db (same user-defined network), not cache (only on the default bridge with it).
        assertEquals(List.of(new HostsEntry("172.20.0.3", "db", "database", "bbbbbbbbbbbb")), book.peers(WEB, networks));
        assertEquals(List.of(new HostsEntry("172.20.0.2", "web", "aaaaaaaaaaaa")), book.peers(DB, networks));
        assertEquals(List.of(), book.peers(CACHE, networks));
        // Own addresses: every network, in name order.
        assertEquals(List.of("172.20.0.2", "172.17.0.2"), book.ownIps(WEB, networks));
        assertEquals(List.of(WEB, DB, CACHE), List.copyOf(book.peersByContainer(networks).keySet()));
    }

    @Test
    void peerOnTwoSharedNetworksGetsTwoEntries() {
        Map<String, List<Endpoint>> networks = Map.of(
                "front", List.of(ep(WEB, "web", "front", "10.1.0.2"), ep(DB, "db", "front", "10.1.0.3")),
                "back", List.of(ep(DB, "db", "back", "10.2.0.3", "primary"), ep(WEB, "web", "back", "10.2.0.2")));
        assertEquals(List.of(new HostsEntry("10.2.0.3", "db", "primary", "bbbbbbbbbbbb"),
                new HostsEntry("10.1.0.3", "db", "bbbbbbbbbbbb")), book.peers(WEB, networks));
    }

    @Test
    void linksPointAtTheDefaultNetworkAddress() {
        // Docker's buildSandboxOptions: aliasList = alias + " " + hostname (+ " " + name when it differs).
        // Legacy links docs: "172.17.0.5  webdb 6e5cdeb2d300 db".
        Map<String, List<Endpoint>> networks = Map.of(
                "bridge", List.of(ep(DB, "db", "bridge", "172.17.0.5"), ep(WEB, "web", "bridge", "172.17.0.7")));
        assertEquals(List.of(new HostsEntry("172.17.0.5", "webdb", "6e5cdeb2d300", "db"),
                        new HostsEntry("172.17.0.5", "db", "6e5cdeb2d300")),
                book.links(List.of(Link.of("db:webdb", DB, "6e5cdeb2d300"), Link.of("db", DB, "6e5cdeb2d300")), networks));
        // Not on the link network: no entry.
        assertEquals(List.of(), book.links(List.of(Link.of("cache", CACHE, "cccccccccccc")), networks));
    }

    @Test
    void linkFlagForms() {
        assertEquals(new Link("db", "webdb", DB, null), Link.of("db:webdb", DB, null));
        assertEquals(new Link("db", "db", DB, null), Link.of("/db", DB, null));
        assertEquals(new Link("db", "webdb", DB, null), Link.of("/db:/web/webdb", DB, null)); // as stored by Docker
        assertEquals("bad format for links: a:b:c",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Link.of("a:b:c", DB, null)).getMessage());
    }

    @Test
    void wholeFile() {
        Map<String, List<Endpoint>> networks = Map.of(
                "app", List.of(ep(DB, "db", "app", "172.20.0.3"), ep(WEB, "web", "app", "172.20.0.2", "www")));
        assertEquals("""
                127.0.0.1\tlocalhost
                ::1\tlocalhost ip6-localhost ip6-loopback
                fe00::0\tip6-localnet
                ff00::0\tip6-mcastprefix
                ff02::1\tip6-allnodes
                ff02::2\tip6-allrouters
                172.20.0.3\tbbbbbbbbbbbb
                172.20.0.2\tweb www aaaaaaaaaaaa
                """, book.hostsFile(DB, HostsConfig.of("bbbbbbbbbbbb"), List.of(), networks));
    }
}
