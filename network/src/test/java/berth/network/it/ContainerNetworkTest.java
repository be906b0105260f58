package berth.network.it;

import berth.network.AttachRequest;
import berth.network.Endpoint;
import berth.network.Network;
import berth.network.Networks;
import berth.network.Membership;
import berth.network.PortMapping;
import berth.network.dns.ContainerDns;
import berth.network.dns.DnsServer;
import berth.sys.LinuxSyscalls;
import berth.network.names.HostsConfig;
import berth.network.names.HostsUpdater;
import berth.network.names.NameBook;
import berth.network.names.ResolvConf;
import berth.network.names.DnsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Containers run by bin/berth-runtime on berth networks, as the engine will run them: a network namespace
 * attached through CNI, /etc/hosts and /etc/resolv.conf written by the names layer and bind-mounted, and
 * busybox servers and clients inside. Everything stays inside the bridges and namespaces the test makes.
 */
@org.junit.jupiter.api.Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
class ContainerNetworkTest {
    private Sandbox sandbox;
    private Networks networks;
    private final Map<String, HostsUpdater.Target> targets = new HashMap<>();
    private HostsUpdater hosts;
    private DnsServer dns;
    private final Map<String, Path> namespaces = new HashMap<>();
    private String iptablesBefore;

    @BeforeEach
    void setUp() throws Exception {
        iptablesBefore = iptables();
        sandbox = new Sandbox();
        networks = new Networks(sandbox.dir.resolve("berth"), null, null);
        hosts = new HostsUpdater(new NameBook(), id -> Optional.ofNullable(targets.get(id)));
        // No upstream: these tests resolve only container names, and no query may leave the machine.
        dns = new DnsServer(List.of(), DnsServer.UPSTREAM_TIMEOUT, new LinuxSyscalls());
        ContainerDns names = new ContainerDns(dns, new NameBook(), id -> Optional.ofNullable(namespaces.get(id)), Map.of());
        networks.setMembership(Membership.all(List.of(hosts, names)));
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            dns.close();
            for (Network n : networks.list()) {
                for (Endpoint e : networks.endpoints(n.name())) networks.detach(e.containerId(), n.name());
                networks.remove(n.name());
            }
            networks.reconcile();
        } finally {
            sandbox.close();
        }
        assertEquals(iptablesBefore, iptables(), "the test leaves no iptables rule behind");
    }

    private static String unique(String base) {
        return base + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    /**
     * The iptables rules, without counters, and without the shared CNI-HOSTPORT-* chains that the portmap
     * plugin creates on first use and never removes (by design; they hold no per-container rule).
     */
    private static String iptables() throws Exception {
        String out = Sandbox.run("iptables-save").out();
        StringBuilder sb = new StringBuilder();
        for (String line : out.lines().toList()) {
            if (line.startsWith("#") || line.contains("CNI-HOSTPORT-")) continue;
            sb.append(line.replaceAll("\\[\\d+:\\d+\\]", "")).append('\n');
        }
        return sb.toString();
    }

    /** What the engine does for a container: namespace, attach, hosts and resolv.conf files. */
    private Path[] prepare(String id, String name, String network, List<String> aliases, List<PortMapping> ports) throws Exception {
        Path netns = sandbox.namespace();
        Path hostsFile = sandbox.dir.resolve(id + ".hosts");
        Path resolv = sandbox.dir.resolve(id + ".resolv.conf");
        Files.writeString(hostsFile, "");
        targets.put(id, new HostsUpdater.Target(hostsFile, HostsConfig.of(name), List.of()));
        namespaces.put(id, netns);
        networks.attach(new AttachRequest(id, name, netns, network, "eth0", null, aliases, ports));
        Files.writeString(resolv, ResolvConf.ofHost().forEmbeddedDns(DnsConfig.NONE));
        return new Path[] {netns, hostsFile, resolv};
    }

    @Test
    void containersOnOneNetworkTalkByAddressAndNameAndOthersCannotReachThem() throws Exception {
        String netA = unique("it-a"), netB = unique("it-b");
        networks.create(netA, null, null, false, Map.of());
        networks.create(netB, null, null, false, Map.of());

        Path[] server = prepare("c-server", "server", netA, List.of("db"), List.of());
        sandbox.start("c-server", sandbox.bundle("c-server", server[0], server[1], server[2],
                "sh", "-c", "while true; do echo pong | nc -l -p 7000; done"));
        Endpoint serverEp = networks.endpointsOf("c-server").getFirst();

        // started after the server: it must still resolve the server by name and alias
        Path[] client = prepare("c-client", "client", netA, List.of(), List.of());
        for (String target : List.of(serverEp.ip(), "server", "db")) {
            Sandbox.Result r = sandbox.runToEnd("c-client-" + target.replace('.', '-'),
                    sandbox.bundle("c-client-" + target.replace('.', '-'), client[0], client[1], client[2],
                            "sh", "-c", "for i in 1 2 3 4 5; do nc -w 2 " + target + " 7000 && exit 0; sleep 0.3; done; exit 1"));
            assertEquals("pong", r.out().strip(), "client reaches the server at " + target + ": " + r.out());
        }
        // DNS clients ask the embedded server (127.0.0.11 in the client's namespace), which knows the server's names
        for (String name : List.of("server", "db")) {
            Sandbox.Result r = sandbox.runToEnd("c-lookup-" + name, sandbox.bundle("c-lookup-" + name, client[0], client[1], client[2],
                    "nslookup", name));
            assertTrue(r.out().contains(serverEp.ip()), "nslookup " + name + " answers " + serverEp.ip() + ": " + r.out());
        }
        // and the server's file learned about the client that came later
        assertTrue(Files.readString(server[1]).contains("client"), Files.readString(server[1]));

        Path[] outsider = prepare("c-outsider", "outsider", netB, List.of(), List.of());
        Sandbox.Result r = sandbox.runToEnd("c-outsider", sandbox.bundle("c-outsider", outsider[0], outsider[1], outsider[2],
                "sh", "-c", "nc -w 2 " + serverEp.ip() + " 7000; echo status=$?"));
        assertTrue(!r.out().contains("pong"), "another network cannot reach the server: " + r.out());
        assertTrue(!Files.readString(outsider[1]).contains("server"), "nor resolve its name");

        networks.detach("c-client", netA);
        assertTrue(!Files.readString(server[1]).contains("client"), "a container that leaves is forgotten: " + Files.readString(server[1]));
    }

    @Test
    void aPublishedPortAnswersOnLoopbackAndTheHostAddressAndIsGoneAfterDetach() throws Exception {
        String net = unique("it-p");
        networks.create(net, null, null, false, Map.of());
        Path[] web = prepare("c-web", "web", net, List.of(),
                List.of(new PortMapping(null, 0, 80, "tcp")));
        Path www = Files.createDirectories(sandbox.dir.resolve("www"));
        Files.writeString(www.resolve("index.html"), "hello from berth\n");
        Path bundle = sandbox.bundle("c-web", web[0], web[1], web[2], "sh", "-c",
                "exec httpd -f -p 80 -h /www");
        addBind(bundle, www, "/www");
        sandbox.start("c-web", bundle);
        Endpoint ep = networks.endpointsOf("c-web").getFirst();
        int tcp = ep.ports().stream().filter(p -> p.protocol().equals("tcp")).findFirst().orElseThrow().hostPort();
        assertNotEquals(0, tcp, "a random host port was chosen and reported");

        assertTrue(httpGet("127.0.0.1", tcp).contains("hello from berth"));
        String hostIp = Sandbox.run("sh", "-c", "ip -4 -o route get 1.1.1.1 | sed -n 's/.* src \\([0-9.]*\\).*/\\1/p'").out().strip();
        assertTrue(httpGet(hostIp, tcp).contains("hello from berth"), "reachable on the host's address " + hostIp);
        // (UDP publishing is proven in NetworksTest with a Java echo server: this busybox has no UDP server.)

        networks.detach("c-web", net);
        assertThrows(java.io.IOException.class, () -> httpGet("127.0.0.1", tcp), "the port is closed after detach");
    }

    @Test
    void containerModeJoinsTheOwnersNamespace() throws Exception {
        String net = unique("it-c");
        networks.create(net, null, null, false, Map.of());
        Path[] owner = prepare("c-owner", "owner", net, List.of(), List.of());
        sandbox.start("c-owner", sandbox.bundle("c-owner", owner[0], owner[1], owner[2],
                "sh", "-c", "while true; do echo from-owner | nc -l -p 7100; done"));
        Endpoint ep = networks.endpointsOf("c-owner").getFirst();
        // --net container:c-owner: the same namespace path, no attach of its own
        Sandbox.Result r = sandbox.runToEnd("c-guest", sandbox.bundle("c-guest", owner[0], owner[1], owner[2], "sh", "-c",
                "ip -4 addr show eth0; for i in 1 2 3 4 5; do nc -w 2 127.0.0.1 7100 && exit 0; sleep 0.3; done"));
        assertTrue(r.out().contains(ep.ip() + "/"), "the guest sees the owner's interface: " + r.out());
        assertTrue(r.out().contains("from-owner"), "and reaches its server on 127.0.0.1: " + r.out());
    }

    @Test
    void aRunningContainerConnectsToASecondNetworkAndDisconnects() throws Exception {
        String first = unique("it-r1"), second = unique("it-r2");
        networks.create(first, null, null, false, Map.of());
        Network other = networks.create(second, null, null, false, Map.of());
        Path[] c = prepare("c-multi", "multi", first, List.of(), List.of());
        sandbox.start("c-multi", sandbox.bundle("c-multi", c[0], c[1], c[2], "sleep", "600"));

        Endpoint eth1 = networks.attach(new AttachRequest("c-multi", "multi", c[0], second, "eth1", null, List.of(), List.of()));
        assertTrue(inSubnet(eth1.ip(), other.subnet()), eth1.ip() + " is in " + other.subnet());
        Sandbox.Result shown = sandbox.exec("c-multi", "ip", "-4", "-o", "addr", "show", "eth1");
        assertTrue(shown.out().contains(eth1.ip() + "/"), "the running container has eth1 on the second network: " + shown.out());

        networks.detach("c-multi", second);
        Sandbox.Result gone = sandbox.exec("c-multi", "ip", "-o", "link", "show", "eth1");
        assertNotEquals(0, gone.status(), "eth1 is gone after disconnect: " + gone.out());
        assertEquals(1, networks.endpointsOf("c-multi").size(), "still on the first network");
    }

    private static boolean inSubnet(String ip, String cidr) throws Exception {
        int bits = Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1));
        int net = java.nio.ByteBuffer.wrap(java.net.InetAddress.getByName(cidr.substring(0, cidr.indexOf('/'))).getAddress()).getInt();
        int addr = java.nio.ByteBuffer.wrap(java.net.InetAddress.getByName(ip).getAddress()).getInt();
        int mask = bits == 0 ? 0 : -1 << (32 - bits);
        return (net & mask) == (addr & mask);
    }

    private static void addBind(Path bundle, Path source, String destination) throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var config = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(bundle.resolve("config.json").toFile());
        var m = config.withArray("/mounts").addObject();
        m.put("destination", destination).put("type", "bind").put("source", source.toString());
        m.putArray("options").add("rbind").add("ro");
        json.writeValue(bundle.resolve("config.json").toFile(), config);
    }

    private static String httpGet(String host, int port) throws Exception {
        java.io.IOException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 2000);
                s.setSoTimeout(3000);
                s.getOutputStream().write("GET /index.html HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                last = e;
                Thread.sleep(150);
            }
        }
        throw last;
    }
}
