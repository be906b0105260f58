package berth.network;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Networks against the real kernel and the real CNI plugins (needs root). Every test works on its own berth
 * root (so its own bridge and chain prefix), in namespaces it makes, on subnets chosen clear of the host's
 * routes, and cleans up in {@link HostFixture#close()} whatever happens.
 */
class NetworksTest {

    @BeforeAll
    static void needsRoot() {
        // Fails, never skips: a skipped test would count as a pass (.ci/run installs all of these).
        assertTrue(HostFixture.available(), "needs root, ip, iptables and the CNI plugins in /usr/lib/cni");
    }

    private static AttachRequest request(String id, Path ns, String network, String ip, List<PortMapping> ports) {
        return new AttachRequest(id, "name-" + id, ns, network, "eth0", ip, List.of("alias-" + id), ports);
    }

    @Test
    void createChoosesAFreeSubnetMakesTheBridgeAndRemoveUndoesIt() throws Exception {
        try (HostFixture f = new HostFixture()) {
            Network a = f.networks.create("front", null, null, false, HostFixture.labels());
            Ipv4Subnet sa = Ipv4Subnet.parse(a.subnet());
            for (HostRoutes.Route r : new HostRoutes(Path.of("/proc/net/route")).list()) {
                if (!r.iface().equals(a.bridge())) assertFalse(r.destination().overlaps(sa), a.subnet() + " overlaps route " + r);
            }
            assertTrue(a.bridge().startsWith(f.networks.prefix() + "-") && a.bridge().length() <= 15, a.bridge());
            assertTrue(HostFixture.check("ip", "-o", "addr", "show", "dev", a.bridge()).contains(a.gateway() + "/" + sa.prefix()));
            assertEquals(Map.of("test", "berth.network"), a.labels());
            assertEquals(64, a.id().length());

            assertEquals(a, f.networks.get("front"));
            assertEquals(a, f.networks.get(a.id()));
            assertEquals(a, f.networks.get(a.id().substring(0, 12)));
            assertThrows(NetworkException.Conflict.class, () -> f.networks.create("front", null, null, false, null));
            assertThrows(NetworkException.Conflict.class, () -> f.networks.create("other", a.subnet(), null, false, null));
            assertThrows(NetworkException.Invalid.class, () -> f.networks.create("bad name", null, null, false, null));

            Network b = f.networks.create("back", null, null, true, null);
            assertFalse(Ipv4Subnet.parse(b.subnet()).overlaps(sa));
            assertNotEquals(a.bridge(), b.bridge());
            assertEquals(List.of("front", "back"), f.networks.list().stream().map(Network::name).toList());

            // another instance on the same root sees the same networks
            assertEquals(f.networks.list(), new Networks(f.root, null, null).list());

            f.networks.remove("front");
            assertFalse(Files.exists(Path.of("/sys/class/net", a.bridge())));
            assertThrows(NetworkException.NotFound.class, () -> f.networks.get("front"));
            assertThrows(NetworkException.NotFound.class, () -> f.networks.remove("front"));

            Network d = f.networks.ensureDefault();
            assertEquals(Networks.DEFAULT_NETWORK, d.name());
            assertEquals(d, f.networks.ensureDefault());
        }
    }

    @Test
    void attachGivesAnAddressInTheSubnetAndADefaultRouteAndDetachUndoesIt() throws Exception {
        try (HostFixture f = new HostFixture()) {
            Network n = f.networks.create("net", null, null, false, null);
            Path ns = f.namespace();
            Endpoint ep = f.networks.attach(request("c1", ns, "net", null, List.of()));

            assertTrue(Ipv4Subnet.parse(n.subnet()).isHost(Ipv4Subnet.parseAddress(ep.ip())), ep.ip());
            assertEquals(Ipv4Subnet.parse(n.subnet()).prefix(), ep.prefixLength());
            assertEquals(n.gateway(), ep.gateway());
            assertEquals("net", ep.network());
            assertEquals("name-c1", ep.containerName());
            assertEquals(List.of("alias-c1"), ep.aliases());
            String addr = HostFixture.check("ip", "-n", ns.getFileName().toString(), "-o", "addr", "show", "dev", "eth0");
            assertTrue(addr.contains("inet " + ep.ip() + "/" + ep.prefixLength()), addr);
            assertTrue(HostFixture.check("ip", "-n", ns.getFileName().toString(), "link", "show", "eth0").contains(ep.mac()));
            String route = HostFixture.check("ip", "-n", ns.getFileName().toString(), "route");
            assertTrue(route.contains("default via " + n.gateway() + " dev eth0"), route);
            assertTrue(HostFixture.check("ip", "-n", ns.getFileName().toString(), "link", "show", "lo").contains("UP"));
            assertTrue(HostFixture.in(ns, "busybox", "ping", "-c", "1", "-W", "2", n.gateway()).status() == 0);

            assertEquals(List.of(ep), f.networks.endpoints("net"));
            assertEquals(List.of(ep), new Networks(f.root, null, null).endpoints("net"), "endpoints survive a restart");
            assertEquals(List.of(ep), f.networks.endpointsOf("c1"));
            Path allocation = f.root.resolve("cni/ipam/net").resolve(ep.ip());
            Path cache = f.root.resolve("cni/results/net-c1-eth0");
            assertTrue(Files.exists(allocation) && Files.exists(cache));
            f.networks.check("c1", "net");

            assertThrows(NetworkException.Conflict.class, () -> f.networks.attach(request("c1", ns, "net", null, List.of())));
            assertThrows(NetworkException.Conflict.class, () -> f.networks.remove("net"));

            new Networks(f.root, null, null).detach("c1", "net");
            assertFalse(HostFixture.run("ip", "-n", ns.getFileName().toString(), "link", "show", "eth0").status() == 0);
            assertFalse(Files.exists(allocation) || Files.exists(cache));
            assertEquals(List.of(), f.networks.endpoints("net"));
            f.networks.detach("c1", "net");
            f.networks.detachAll("c1");
        }
    }

    @Test
    void containersOnOneNetworkTalkAndANetworkApartCannotReachThem() throws Exception {
        try (HostFixture f = new HostFixture()) {
            f.networks.create("one", null, null, false, null);
            f.networks.create("two", null, null, false, null);
            Path a = f.namespace(), b = f.namespace(), c = f.namespace();
            Endpoint ea = f.networks.attach(request("a", a, "one", null, List.of()));
            Endpoint eb = f.networks.attach(request("b", b, "one", null, List.of()));
            Endpoint ec = f.networks.attach(request("c", c, "two", null, List.of()));

            Process server = f.startIn(a, "busybox", "nc", "-l", "-p", "7000");
            HostFixture.awaitListening(a, 7000, "tcp");
            HostFixture.Result sent = HostFixture.run(List.of("sh", "-c", "echo hello-from-b | ip netns exec "
                    + b.getFileName() + " busybox nc -w 3 " + ea.ip() + " 7000"), 10);
            assertEquals(0, sent.status(), sent.out());
            assertEquals("hello-from-b", new String(server.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
            assertEquals(0, HostFixture.in(a, "busybox", "ping", "-c", "1", "-W", "2", eb.ip()).status());

            f.startIn(a, "busybox", "nc", "-ll", "-p", "7001", "-e", "busybox", "echo", "pong");
            HostFixture.awaitListening(a, 7001, "tcp");
            assertEquals("pong", HostFixture.in(b, "busybox", "nc", "-w", "3", ea.ip(), "7001").out().strip());
            HostFixture.Result blocked = HostFixture.in(c, "busybox", "nc", "-w", "2", ea.ip(), "7001");
            assertNotEquals(0, blocked.status(), "network two reached network one: " + blocked.out());
            assertNotEquals(0, HostFixture.in(c, "busybox", "ping", "-c", "1", "-W", "1", eb.ip()).status());
            assertNotEquals(0, HostFixture.in(a, "busybox", "ping", "-c", "1", "-W", "1", ec.ip()).status());
            // still reachable from the host, as Docker's are
            assertEquals(0, HostFixture.run("busybox", "ping", "-c", "1", "-W", "2", ea.ip()).status());
        }
    }

    @Test
    void anInternalNetworkTalksOnlyToItself() throws Exception {
        try (HostFixture f = new HostFixture()) {
            f.networks.create("inside", null, null, true, null);
            f.networks.create("outside", null, null, false, null);
            Path a = f.namespace(), b = f.namespace(), c = f.namespace();
            Endpoint ea = f.networks.attach(request("a", a, "inside", null, List.of()));
            f.networks.attach(request("b", b, "inside", null, List.of()));
            Endpoint ec = f.networks.attach(request("c", c, "outside", null, List.of()));
            assertFalse(HostFixture.check("ip", "-n", b.getFileName().toString(), "route").contains("default"));
            assertEquals(0, HostFixture.in(b, "busybox", "ping", "-c", "1", "-W", "2", ea.ip()).status());
            assertNotEquals(0, HostFixture.in(c, "busybox", "ping", "-c", "1", "-W", "1", ea.ip()).status());
            HostFixture.check("ip", "-n", a.getFileName().toString(), "route", "add", "default", "via", f.networks.get("inside").gateway());
            assertNotEquals(0, HostFixture.in(a, "busybox", "ping", "-c", "1", "-W", "1", ec.ip()).status());
            assertThrows(NetworkException.Invalid.class, () -> f.networks.attach(request("d", f.namespace(), "inside", null,
                    List.of(new PortMapping(null, 0, 80, "tcp")))));
        }
    }

    @Test
    void aStaticAddressIsHonouredAndOneOutsideTheSubnetRefused() throws Exception {
        try (HostFixture f = new HostFixture()) {
            Network n = f.networks.create("fixed", null, null, false, null);
            Ipv4Subnet s = Ipv4Subnet.parse(n.subnet());
            String wanted = Ipv4Subnet.format(s.base() + 77);
            Path ns = f.namespace();
            Endpoint ep = f.networks.attach(request("s1", ns, "fixed", wanted, List.of()));
            assertEquals(wanted, ep.ip());
            assertTrue(HostFixture.check("ip", "-n", ns.getFileName().toString(), "addr").contains(wanted + "/"));

            List<String> vethsBefore = HostFixture.veths();
            Path other = f.namespace();
            assertThrows(NetworkException.Conflict.class, () -> f.networks.attach(request("s2", other, "fixed", wanted, List.of())));
            String outside = Ipv4Subnet.format(s.broadcast() + 2);
            NetworkException e = assertThrows(NetworkException.Invalid.class,
                    () -> f.networks.attach(request("s2", other, "fixed", outside, List.of())));
            assertTrue(e.getMessage().contains(outside) && e.getMessage().contains(n.subnet()), e.getMessage());
            assertThrows(NetworkException.Invalid.class, () -> f.networks.attach(request("s2", other, "fixed", n.gateway(), List.of())));
            assertThrows(NetworkException.Invalid.class, () -> f.networks.attach(request("s2", other, "fixed", "not-an-ip", List.of())));
            assertEquals(vethsBefore, HostFixture.veths());
            assertEquals(List.of(ep), f.networks.endpoints("fixed"));
        }
    }

    @Test
    void aPublishedTcpPortAnswersOnLoopbackTheHostAddressAndHairpinAndIsGoneAfterDetach() throws Exception {
        try (HostFixture f = new HostFixture()) {
            String pristine = HostFixture.iptables();
            f.networks.create("web", null, null, false, null);
            warmUp(f, "web");
            String before = HostFixture.iptables();
            assertOnlyPortmapSkeletonAdded(pristine, before, f.networks.prefix());

            Path ns = f.namespace(), peer = f.namespace();
            Path www = Files.createDirectories(f.root.resolve("www"));
            Files.writeString(www.resolve("index.html"), "hello from httpd\n");
            f.startIn(ns, "busybox", "httpd", "-f", "-p", "80", "-h", www.toString());
            HostFixture.awaitListening(ns, 80, "tcp");

            Endpoint ep = f.networks.attach(request("web1", ns, "web", null, List.of(new PortMapping(null, 0, 80, "tcp"))));
            Endpoint other = f.networks.attach(request("web2", peer, "web", null, List.of()));
            int port = ep.ports().getFirst().hostPort();
            assertTrue(port > 0, "host port chosen");
            String host = HostFixture.hostAddress();
            assertEquals("1", Files.readString(Path.of("/proc/sys/net/ipv4/conf", f.networks.get("web").bridge(), "route_localnet")).strip(),
                    "portmap (snat) sets route_localnet on the bridge");

            assertTrue(httpGet("127.0.0.1", port).contains("hello from httpd"));
            assertTrue(httpGet(host, port).contains("hello from httpd"));
            // hairpin: the container to its own published port through the host's address; and a neighbour
            String request = "printf 'GET /index.html HTTP/1.0\\r\\n\\r\\n' | ip netns exec %s busybox nc -w 3 %s " + port;
            assertTrue(HostFixture.run(List.of("sh", "-c", request.formatted(ns.getFileName(), host)), 10).out().contains("hello from httpd"));
            assertTrue(HostFixture.run(List.of("sh", "-c", request.formatted(peer.getFileName(), host)), 10).out().contains("hello from httpd"));
            assertTrue(HostFixture.run(List.of("sh", "-c", request.formatted(ns.getFileName(), ep.gateway())), 10).out().contains("hello from httpd"));

            // the same host port cannot be published twice
            assertThrows(NetworkException.Conflict.class, () -> f.networks.attach(request("web3", f.namespace(), "web", null,
                    List.of(new PortMapping(null, port, 80, "tcp")))));

            f.networks.detach("web1", "web");
            f.networks.detach("web2", "web");
            assertThrows(IOException.class, () -> httpGet("127.0.0.1", port));
            assertThrows(IOException.class, () -> httpGet(host, port));
            assertEquals(before, HostFixture.iptables());
            f.networks.detach("web1", "web");
            assertEquals(before, HostFixture.iptables());
        }
    }

    @Test
    void aPublishedUdpPortAnswers() throws Exception {
        try (HostFixture f = new HostFixture()) {
            f.networks.create("dgram", null, null, false, null);
            warmUp(f, "dgram");
            String before = HostFixture.iptables();
            Path ns = f.namespace();
            String java = ProcessHandle.current().info().command().orElse("java");
            f.startIn(ns, java, "-cp", System.getProperty("java.class.path"), UdpEcho.class.getName(), "5353");
            HostFixture.awaitListening(ns, 5353, "udp");
            Endpoint ep = f.networks.attach(request("u1", ns, "dgram", null,
                    List.of(new PortMapping(null, 0, 5353, "udp"), new PortMapping("127.0.0.1", 0, 5353, "udp"))));
            int any = ep.ports().get(0).hostPort(), local = ep.ports().get(1).hostPort();
            assertNotEquals(any, local);
            assertEquals("127.0.0.1", ep.ports().get(1).hostIp());
            assertEquals("echo:one", udp("127.0.0.1", any, "one"));
            assertEquals("echo:two", udp(HostFixture.hostAddress(), any, "two"));
            assertEquals("echo:three", udp("127.0.0.1", local, "three"));
            f.networks.detach("u1", "dgram");
            assertThrows(IOException.class, () -> udp("127.0.0.1", any, "gone"));
            assertEquals(before, HostFixture.iptables());
        }
    }

    @Test
    void detachAndReconcileCopeWithANamespaceDeletedBehindBerthsBack() throws Exception {
        try (HostFixture f = new HostFixture()) {
            f.networks.create("gone", null, null, false, null);
            warmUp(f, "gone");
            String before = HostFixture.iptables();
            List<String> veths = HostFixture.veths();

            Path n1 = f.namespace(), n2 = f.namespace(), n3 = f.namespace();
            f.networks.attach(request("r1", n1, "gone", null, List.of(new PortMapping(null, 0, 80, "tcp"))));
            f.networks.attach(request("r2", n2, "gone", null, List.of()));
            Endpoint e3 = f.networks.attach(request("r3", n3, "gone", null, List.of()));
            assertNotEquals(before, HostFixture.iptables());
            f.deleteNamespace(n1);
            f.deleteNamespace(n2);

            f.networks.detach("r2", "gone");   // a detach with the namespace gone
            Networks.Reconciled rec = new Networks(f.root, null, null).reconcile();
            assertEquals(List.of("gone/r1"), rec.detached());
            assertEquals(List.of(e3), f.networks.endpoints("gone"));
            f.networks.detach("r3", "gone");

            assertEquals(before, HostFixture.iptables(), "masquerade and port rules of dead namespaces are gone");
            awaitVeths(veths);
            try (var files = Files.list(f.root.resolve("cni/ipam/gone"))) {
                assertEquals(List.of(), files.map(p -> p.getFileName().toString()).filter(s -> Character.isDigit(s.charAt(0))).toList());
            }
            try (var files = Files.list(f.root.resolve("cni/results"))) {
                assertEquals(0, files.count());
            }
        }
    }

    @Test
    void reconcileRemovesBridgesOfThisPrefixThatNoNetworkOwnsAndRecreatesMissingOnes() throws Exception {
        try (HostFixture f = new HostFixture()) {
            Network kept = f.networks.create("kept", null, null, false, null);
            String stray = f.networks.prefix() + "-deadbeef";
            String foreign = "bt" + Long.toHexString(System.nanoTime() & 0xffffffL) + "-x";
            HostFixture.check("ip", "link", "add", "name", stray, "type", "bridge");
            HostFixture.check("ip", "link", "add", "name", foreign, "type", "bridge");
            try {
                HostFixture.check("ip", "link", "delete", "dev", kept.bridge());
                Networks.Reconciled rec = f.networks.reconcile();
                assertEquals(List.of(stray), rec.removedBridges());
                assertFalse(Files.exists(Path.of("/sys/class/net", stray)));
                assertTrue(Files.exists(Path.of("/sys/class/net", foreign)), "another prefix's bridge is left alone");
                assertTrue(HostFixture.check("ip", "-o", "addr", "show", "dev", kept.bridge()).contains(kept.gateway() + "/"));
            } finally {
                HostFixture.run("ip", "link", "delete", "dev", stray);
                HostFixture.run("ip", "link", "delete", "dev", foreign);
            }
        }
    }

    @Test
    void noneModeGetsLoopbackOnly() throws Exception {
        try (HostFixture f = new HostFixture()) {
            Path ns = f.namespace();
            f.networks.bringUpLoopback(ns);
            assertTrue(HostFixture.check("ip", "-n", ns.getFileName().toString(), "addr", "show", "lo").contains("127.0.0.1/8"));
            assertEquals(0, HostFixture.in(ns, "busybox", "ping", "-c", "1", "-W", "2", "127.0.0.1").status());
        }
    }

    // ---- helpers ----

    /** One attach/detach with a published port, so that portmap's shared chains exist before a snapshot. */
    static void warmUp(HostFixture f, String network) {
        Path ns = f.namespace();
        f.networks.attach(request("warmup", ns, network, null, List.of(new PortMapping(null, 0, 9, "tcp"))));
        f.networks.detach("warmup", network);
        f.deleteNamespace(ns);
    }

    /** Between the two snapshots only portmap's shared CNI-HOSTPORT-* chains and berth's own chains may appear. */
    static void assertOnlyPortmapSkeletonAdded(String pristine, String now, String prefix) {
        List<String> added = new ArrayList<>(now.lines().toList());
        added.removeAll(pristine.lines().toList());
        for (String line : added) {
            assertTrue(line.contains("CNI-HOSTPORT-") || line.contains("BERTH-") || line.startsWith("*") || line.equals("COMMIT")
                    || line.startsWith(":"), "unexpected rule left: " + line);
        }
    }

    static void awaitVeths(List<String> expected) throws InterruptedException {
        for (int i = 0; i < 100 && !HostFixture.veths().equals(expected); i++) Thread.sleep(50);
        assertEquals(expected, HostFixture.veths());
    }

    static String httpGet(String host, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2000);
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /index.html HTTP/1.0\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String udp(String host, int port, String message) throws IOException {
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(700);
            byte[] m = message.getBytes(StandardCharsets.UTF_8);
            byte[] buf = new byte[2048];
            for (int attempt = 0; attempt < 3; attempt++) {
                s.send(new DatagramPacket(m, m.length, new InetSocketAddress(host, port)));
                DatagramPacket in = new DatagramPacket(buf, buf.length);
                try {
                    s.receive(in);
                    return new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8);
                } catch (SocketTimeoutException e) {
                    // UDP: try again
                }
            }
            throw new SocketTimeoutException("no UDP answer from " + host + ":" + port);
        }
    }
}
