package berth.network.dns;

import berth.network.HostFixture;
import berth.network.HostFixture.Result;

import static berth.network.HostFixture.check;
import static berth.network.HostFixture.run;

import berth.network.AttachRequest;
import berth.network.Endpoint;
import berth.network.Networks;
import berth.network.names.NameBook;
import berth.sys.LinuxSyscalls;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded server in real network namespaces on a real CNI network, asked by busybox's nslookup from inside (needs
 * root, ip, iptables, the CNI plugins and busybox). The upstream is a fake on the host's 127.0.0.1 that answers NXDOMAIN
 * to everything, so no query leaves the machine. Everything made here is removed whatever happens.
 */
@Timeout(120)
class EmbeddedDnsTest {

    @BeforeAll
    static void needsRoot() {
        // Fails, never skips: a skipped test would count as a pass (.ci/run installs all of these).
        assertTrue(HostFixture.available() && run("busybox").status() == 0, "needs root, ip, iptables, busybox and the CNI plugins in /usr/lib/cni");
    }

    private static Result nslookup(String ns, String name) {
        return run("ip", "netns", "exec", ns, "busybox", "nslookup", name, "127.0.0.11");
    }

    private static boolean listening(String ns) {
        return run("ip", "netns", "exec", ns, "ss", "-H", "-uln").out().contains("127.0.0.11:53");
    }

    private static String randomId() {
        return HexFormat.of().formatHex(UUID.randomUUID().toString().replace("-", "").repeat(2).getBytes(StandardCharsets.US_ASCII), 0, 32);
    }

    @Test
    void containersOnAUserDefinedNetworkResolveEachOtherThrough127_0_0_11() throws Exception {
        Path root = Files.createTempDirectory("berth-dns-test-");
        Networks networks = new Networks(root, null, null);
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String nsA = "berth-dns-" + tag + "a", nsB = "berth-dns-" + tag + "b";
        String alpha = randomId(), beta = randomId();
        Map<String, Path> netns = new ConcurrentHashMap<>();
        List<String> namespaces = new ArrayList<>();
        DatagramSocket upstream = new DatagramSocket(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0));
        Thread upstreamThread = Thread.ofVirtual().start(() -> nxdomainForEverything(upstream));
        DnsServer server = new DnsServer(List.of((InetSocketAddress) upstream.getLocalSocketAddress()), Duration.ofSeconds(1),
                new LinuxSyscalls());
        try {
            for (String ns : List.of(nsA, nsB)) {
                check("ip", "netns", "add", ns);
                namespaces.add(ns);
            }
            netns.put(alpha, Path.of("/run/netns", nsA));
            netns.put(beta, Path.of("/run/netns", nsB));
            ContainerDns dns = new ContainerDns(server, new NameBook(), id -> Optional.ofNullable(netns.get(id)), networks.membership());
            networks.setMembership(dns);
            networks.create("dnsnet", null, null, false, Map.of("test", "berth.network.dns"));

            Endpoint a = networks.attach(new AttachRequest(alpha, "alpha", netns.get(alpha), "dnsnet", "eth0", null, List.of(), List.of()));
            assertTrue(listening(nsA), "alpha's namespace has a server once it joined");
            assertFalse(run("ss", "-H", "-uln").out().contains("127.0.0.11:53"), "nothing in the host's namespace");
            Endpoint b = networks.attach(new AttachRequest(beta, "beta", netns.get(beta), "dnsnet", "eth0", null, List.of("b"), List.of()));
            assertEquals(Map.of(alpha, netns.get(alpha), beta, netns.get(beta)), dns.served());

            long t0 = System.nanoTime();
            Result byName = nslookup(nsA, "beta");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(byName.out().contains("Address: " + b.ip()), "nslookup beta took " + ms + " ms:\n" + byName.out());
            Result byAlias = nslookup(nsA, "b");
            assertTrue(byAlias.out().contains("Address: " + b.ip()), byAlias.out());
            Result byShortId = nslookup(nsA, NameBook.shortId(beta));
            assertTrue(byShortId.out().contains("Address: " + b.ip()), byShortId.out());
            Result back = nslookup(nsB, "alpha");
            assertTrue(back.out().contains("Address: " + a.ip()), "the one that was there first, from the later one:\n" + back.out());
            Result missing = nslookup(nsA, "nosuchcontainer");
            assertTrue(missing.out().contains("NXDOMAIN") || missing.out().contains("can't find"), missing.out());

            networks.detach(beta, "dnsnet");
            assertFalse(listening(nsB), "beta's server stops when it leaves its last network");
            assertEquals(Map.of(alpha, netns.get(alpha)), dns.served());
            Result gone = nslookup(nsA, "beta");
            assertFalse(gone.out().contains("Address: " + b.ip()), gone.out());

            server.close();
            assertFalse(listening(nsA), "close stops every server");
        } finally {
            server.close();
            networks.setMembership(null);
            List<String> problems = new ArrayList<>();
            try {
                for (Endpoint e : networks.endpoints("dnsnet")) networks.detach(e.containerId(), "dnsnet");
            } catch (RuntimeException e) {
                problems.add(e.getMessage());
            }
            try {
                networks.reconcile();
            } catch (RuntimeException e) {
                problems.add(e.getMessage());
            }
            try {
                if (networks.find("dnsnet").isPresent()) networks.remove("dnsnet");
            } catch (RuntimeException e) {
                problems.add(e.getMessage());
            }
            for (String ns : namespaces) run("ip", "netns", "delete", ns);
            upstream.close();
            upstreamThread.join();
            run("rm", "-rf", root.toString());
            assertEquals(List.of(), problems, "cleanup");
        }
    }

    /** A nameserver that knows nothing: NXDOMAIN for every query. */
    private static void nxdomainForEverything(DatagramSocket s) {
        byte[] buf = new byte[4096];
        while (!s.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
                byte[] answer = java.util.Arrays.copyOf(buf, p.getLength());
                answer[2] |= (byte) 0x80;
                answer[3] = (byte) (0x80 | DnsMessage.NXDOMAIN);
                s.send(new DatagramPacket(answer, answer.length, p.getSocketAddress()));
            } catch (IOException e) {
                return;
            }
        }
    }
}
