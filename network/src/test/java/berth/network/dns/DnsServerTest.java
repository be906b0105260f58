package berth.network.dns;

import berth.sys.RecordingSyscalls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.naming.NameNotFoundException;
import javax.naming.directory.Attribute;
import javax.naming.directory.InitialDirContext;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static berth.network.dns.DnsMessageTest.ip;
import static berth.network.dns.DnsMessageTest.query;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server in this process's own namespace, on 127.0.0.1 and a free port, with fake upstreams on 127.0.0.1. */
@Timeout(30)
class DnsServerTest {
    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0);
    private static final Map<String, List<Inet4Address>> NAMES = Map.of(
            "beta", List.of(ip("10.88.0.3")), "b", List.of(ip("10.88.0.3")), "twice", List.of(ip("10.88.0.3"), ip("10.89.0.3")));

    private final List<AutoCloseable> closeLater = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeLater.reversed()) c.close();
    }

    /** An upstream nameserver that answers every query with {@code rcode} (or never, if negative) and keeps what it got. */
    private final class FakeUpstream implements AutoCloseable {
        final DatagramSocket socket = new DatagramSocket(ANY_LOOPBACK);
        final List<byte[]> received = new CopyOnWriteArrayList<>();
        final Thread thread;

        FakeUpstream(int rcode) throws IOException {
            thread = Thread.ofVirtual().start(() -> {
                byte[] buf = new byte[4096];
                while (!socket.isClosed()) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    try {
                        socket.receive(p);
                    } catch (IOException e) {
                        return;
                    }
                    byte[] q = Arrays.copyOf(buf, p.getLength());
                    received.add(q);
                    if (rcode < 0) continue;
                    byte[] answer = q.clone();
                    answer[2] |= (byte) 0x80; // QR
                    answer[3] = (byte) (0x80 | rcode); // RA
                    try {
                        socket.send(new DatagramPacket(answer, answer.length, p.getSocketAddress()));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            closeLater.add(this);
        }

        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        @Override
        public void close() {
            socket.close();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private DnsServer server(List<InetSocketAddress> upstreams) {
        DnsServer s = new DnsServer(upstreams, Duration.ofMillis(300), new RecordingSyscalls());
        closeLater.add(s);
        return s;
    }

    /** Serves {@link #NAMES} on a fresh socket; returns its address. */
    private static InetSocketAddress serve(DnsServer s) throws IOException {
        DatagramChannel ch = DnsServer.bind(ANY_LOOPBACK);
        s.serve(ch, name -> NAMES.getOrDefault(name, List.of()));
        return (InetSocketAddress) ch.getLocalAddress();
    }

    private static byte[] ask(InetSocketAddress server, byte[] query) throws IOException {
        try (DatagramSocket c = new DatagramSocket(ANY_LOOPBACK)) {
            c.setSoTimeout(5000);
            c.send(new DatagramPacket(query, query.length, server));
            byte[] buf = new byte[4096];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            c.receive(p);
            return Arrays.copyOf(buf, p.getLength());
        }
    }

    private static int ancount(byte[] answer) {
        return DnsMessage.u16(answer, 6);
    }

    @Test
    void answersKnownNamesWithoutAskingUpstream() throws Exception {
        FakeUpstream up = new FakeUpstream(DnsMessage.NXDOMAIN);
        InetSocketAddress at = serve(server(List.of(up.address())));

        byte[] a = ask(at, query(1, 0x0100, 1, "BETA.", DnsMessage.TYPE_A));
        assertEquals(1, DnsMessage.id(a, a.length));
        assertEquals(DnsMessage.NOERROR, DnsMessage.rcode(a));
        assertEquals(1, ancount(a));
        assertEquals("0a580003", java.util.HexFormat.of().formatHex(a, a.length - 4, a.length));

        assertEquals(2, ancount(ask(at, query(2, 0x0100, 1, "twice", DnsMessage.TYPE_A))));

        byte[] aaaa = ask(at, query(3, 0x0100, 1, "b", DnsMessage.TYPE_AAAA));
        assertEquals(DnsMessage.NOERROR, DnsMessage.rcode(aaaa));
        assertEquals(0, ancount(aaaa));
        assertEquals(List.of(), up.received, "nothing went upstream");
    }

    @Test
    void forwardsOtherNamesAndRelaysTheAnswerAsItCame() throws Exception {
        FakeUpstream up = new FakeUpstream(DnsMessage.NXDOMAIN);
        InetSocketAddress at = serve(server(List.of(up.address())));

        byte[] q = query(0x7777, 0x0100, 1, "nope.example", DnsMessage.TYPE_A);
        byte[] a = ask(at, q);
        assertEquals(1, up.received.size());
        assertArrayEquals(q, up.received.getFirst(), "the query as the client sent it");
        assertEquals(0x7777, DnsMessage.id(a, a.length));
        assertEquals(DnsMessage.NXDOMAIN, DnsMessage.rcode(a));
    }

    @Test
    void triesTheNextUpstreamWhenOneIsSilentAndFailsWhenAllAre() throws Exception {
        FakeUpstream silent = new FakeUpstream(-1);
        FakeUpstream answers = new FakeUpstream(DnsMessage.NOERROR);
        InetSocketAddress at = serve(server(List.of(silent.address(), answers.address())));
        byte[] a = ask(at, query(5, 0x0100, 1, "example.org", DnsMessage.TYPE_A));
        assertEquals(DnsMessage.NOERROR, DnsMessage.rcode(a));
        assertEquals(1, silent.received.size());
        assertEquals(1, answers.received.size());

        InetSocketAddress alone = serve(server(List.of(silent.address())));
        assertEquals(DnsMessage.SERVFAIL, DnsMessage.rcode(ask(alone, query(6, 0x0100, 1, "example.org", DnsMessage.TYPE_A))));
        InetSocketAddress none = serve(server(List.of()));
        assertEquals(DnsMessage.SERVFAIL, DnsMessage.rcode(ask(none, query(7, 0x0100, 1, "example.org", DnsMessage.TYPE_A))));
    }

    @Test
    void answersMalformedQueriesWithFormerrAndKeepsServing() throws Exception {
        InetSocketAddress at = serve(server(List.of()));
        assertEquals(DnsMessage.FORMERR, DnsMessage.rcode(ask(at, query(8, 0, 2, "beta", DnsMessage.TYPE_A))));
        assertEquals(DnsMessage.NOTIMP, DnsMessage.rcode(ask(at, query(9, 0x2800, 1, "beta", DnsMessage.TYPE_A))));
        assertEquals(1, ancount(ask(at, query(10, 0, 1, "beta", DnsMessage.TYPE_A))));
    }

    @Test
    void theJdkResolverUnderstandsTheAnswers() throws Exception {
        FakeUpstream up = new FakeUpstream(DnsMessage.NXDOMAIN);
        InetSocketAddress at = serve(server(List.of(up.address())));
        Hashtable<String, String> env = new Hashtable<>();
        env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
        env.put("java.naming.provider.url", "dns://127.0.0.1:" + at.getPort());
        env.put("com.sun.jndi.dns.timeout.retries", "1");
        InitialDirContext ctx = new InitialDirContext(env);
        try {
            Attribute a = ctx.getAttributes("twice", new String[]{"A"}).get("A");
            assertEquals(List.of("10.88.0.3", "10.89.0.3"), List.of(a.get(0), a.get(1)));
            assertThrows(NameNotFoundException.class, () -> ctx.getAttributes("nope", new String[]{"A"}));
        } finally {
            ctx.close();
        }
    }

    @Test
    void closeStopsEverySocketAndListenAfterwardsFails() throws Exception {
        DnsServer s = new DnsServer(List.of(), Duration.ofMillis(300), new RecordingSyscalls());
        DatagramChannel ch = DnsServer.bind(ANY_LOOPBACK);
        s.serve(ch, name -> List.of());
        InetSocketAddress at = (InetSocketAddress) ch.getLocalAddress();
        ask(at, query(1, 0, 1, "x", DnsMessage.TYPE_A));
        s.close();
        assertFalse(ch.isOpen());
        assertThrows(SocketTimeoutException.class, () -> {
            try (DatagramSocket c = new DatagramSocket(ANY_LOOPBACK)) {
                c.setSoTimeout(300);
                byte[] q = query(2, 0, 1, "x", DnsMessage.TYPE_A);
                c.send(new DatagramPacket(q, q.length, at));
                c.receive(new DatagramPacket(new byte[512], 512));
            }
        });
        try (DatagramChannel again = DnsServer.bind(at)) {
            assertTrue(again.isOpen(), "the port is free again");
        }
        assertThrows(IllegalStateException.class, () -> s.listen(Path.of("/run/netns/x"), name -> List.of()));
        s.close();
    }

    @Test
    void aNamespaceThatCannotBeEnteredIsAnIoError() {
        RecordingSyscalls sys = new RecordingSyscalls().fail("inNetworkNamespace", 2 /* ENOENT */);
        try (DnsServer s = new DnsServer(List.of(), Duration.ofMillis(300), sys)) {
            IOException e = assertThrows(IOException.class, () -> s.listen(Path.of("/run/netns/gone"), name -> List.of()));
            assertTrue(e.getMessage().startsWith("DNS server in /run/netns/gone: inNetworkNamespace: ENOENT"), e.getMessage());
            assertEquals(List.of(), List.copyOf(s.namespaces()));
        }
    }

    @Test
    void upstreamsAreTheNonLoopbackNameservers() {
        String conf = """
                # comment
                nameserver 127.0.0.53
                nameserver 10.255.255.53
                nameserver ::1
                nameserver fe80::1%eth0
                nameserver not-an-ip
                search example.org
                nameserver 192.0.2.1
                """;
        assertEquals(List.of(new InetSocketAddress(ip("10.255.255.53"), 53), new InetSocketAddress(InetAddress.ofLiteral("fe80::1"), 53),
                new InetSocketAddress(ip("192.0.2.1"), 53)), DnsServer.upstreams(conf));
    }
}
