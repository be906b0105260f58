package berth.network.dns;

import berth.sys.Syscalls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Docker's embedded DNS server, over UDP: one socket at {@link #ADDRESS} inside each container's network namespace
 * ({@link #listen}), all served by this object. A query for an A record of a name the container's {@link Resolver}
 * knows gets its addresses (TTL {@link #TTL}); any other query about such a name gets an empty NOERROR answer (there
 * are no IPv6 addresses to give); a query about any other name is forwarded to the upstream nameservers in turn, from
 * an ordinary socket of this process (so in the host's namespace), and the first answer is relayed as it came. When
 * none answers within the timeout, the client gets SERVFAIL.
 *
 * <p>Each listening socket is read by a virtual thread of its own, and each forwarded query is waited for on another, so
 * a slow upstream holds up no one else. {@link #unlisten} and {@link #close} close the sockets; a socket keeps its
 * namespace alive, so a container's must be closed when it leaves.
 */
public final class DnsServer implements AutoCloseable {
    /** Where Docker's embedded server listens inside a container. */
    public static final InetSocketAddress ADDRESS = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.11"), 53);
    /** The TTL of the A records of container names, Docker's. */
    public static final int TTL = 600;
    /** How long one upstream nameserver is waited for, by default. */
    public static final Duration UPSTREAM_TIMEOUT = Duration.ofSeconds(3);

    private static final Logger LOG = Logger.getLogger(DnsServer.class.getName());
    private static final int MAX_MESSAGE = 65535;

    /** The names one container can resolve. */
    @FunctionalInterface
    public interface Resolver {
        /**
         * The addresses of {@code name} (lower-case, without a trailing dot) as this container sees them; empty if it is
         * not a name the container knows, and the query goes upstream.
         */
        List<Inet4Address> resolve(String name);
    }

    private final List<InetSocketAddress> upstreams;
    private final Duration upstreamTimeout;
    private final Syscalls sys;
    private final ExecutorService threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("berth-dns-", 0).factory());
    private final Map<Path, DatagramChannel> byNamespace = new HashMap<>();
    private final Set<DatagramChannel> open = new HashSet<>();
    private boolean closed;

    /**
     * @param upstreams       where queries for other names go, in order ({@link #hostUpstreams}); may be empty
     * @param upstreamTimeout how long each is waited for
     * @param sys             enters the namespaces
     */
    public DnsServer(List<InetSocketAddress> upstreams, Duration upstreamTimeout, Syscalls sys) {
        this.upstreams = List.copyOf(upstreams);
        this.upstreamTimeout = upstreamTimeout;
        this.sys = sys;
    }

    /** The nameservers of a resolv.conf that a server in the host's namespace can reach: all but loopback ones, port 53. */
    public static List<InetSocketAddress> upstreams(String resolvConf) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String line : resolvConf.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 2 || !f[0].equals("nameserver")) continue;
            InetAddress a;
            try {
                a = InetAddress.ofLiteral(f[1].replaceFirst("%.*", ""));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (!a.isLoopbackAddress()) out.add(new InetSocketAddress(a, 53));
        }
        return out;
    }

    /** {@link #upstreams} of a resolv.conf file; none if it does not exist. */
    public static List<InetSocketAddress> hostUpstreams(Path resolvConf) throws IOException {
        try {
            return upstreams(Files.readString(resolvConf, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    /**
     * Starts answering at {@link #ADDRESS} inside the network namespace {@code netns} (whose loopback must be up), for
     * the container that {@code resolver} speaks for. A namespace already listened in is left as it is.
     *
     * @throws IOException if the socket cannot be opened or bound there (the namespace is gone, or the port is taken)
     */
    public void listen(Path netns, Resolver resolver) throws IOException {
        synchronized (this) {
            if (closed) throw new IllegalStateException("DNS server is closed");
            if (byNamespace.containsKey(netns)) return;
        }
        DatagramChannel ch;
        try {
            ch = sys.inNetworkNamespace(netns.toString(), () -> {
                try {
                    return bind(ADDRESS);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw new IOException("DNS server in " + netns + ": bind " + ADDRESS + ": " + e.getCause().getMessage(), e.getCause());
        } catch (RuntimeException e) { // SysException: the namespace could not be entered
            throw new IOException("DNS server in " + netns + ": " + e.getMessage(), e);
        }
        synchronized (this) {
            if (closed || byNamespace.containsKey(netns)) {
                ch.close();
                if (closed) throw new IllegalStateException("DNS server is closed");
                return;
            }
            byNamespace.put(netns, ch);
        }
        serve(ch, resolver);
    }

    /** Stops answering in {@code netns}; nothing if it was not listened in. */
    public void unlisten(Path netns) {
        DatagramChannel ch;
        synchronized (this) {
            ch = byNamespace.remove(netns);
            if (ch != null) open.remove(ch);
        }
        if (ch != null) closeQuietly(ch);
    }

    /** The namespaces listened in. */
    public synchronized Set<Path> namespaces() {
        return Set.copyOf(byNamespace.keySet());
    }

    /** A UDP socket bound to {@code address} in the calling thread's network namespace. */
    static DatagramChannel bind(InetSocketAddress address) throws IOException {
        DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            ch.bind(address);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return ch;
    }

    /** Answers the queries that come to {@code ch} (bound already), until it or this server is closed. */
    void serve(DatagramChannel ch, Resolver resolver) {
        synchronized (this) {
            if (closed) {
                closeQuietly(ch);
                throw new IllegalStateException("DNS server is closed");
            }
            open.add(ch);
        }
        try {
            threads.execute(() -> receive(ch, resolver));
        } catch (RejectedExecutionException e) {
            closeQuietly(ch);
            throw new IllegalStateException("DNS server is closed");
        }
    }

    private void receive(DatagramChannel ch, Resolver resolver) {
        ByteBuffer buf = ByteBuffer.allocate(MAX_MESSAGE);
        while (ch.isOpen()) {
            SocketAddress client;
            try {
                buf.clear();
                client = ch.receive(buf);
            } catch (ClosedChannelException e) {
                return; // unlisten or close
            } catch (IOException e) {
                LOG.log(Level.WARNING, "DNS server: receive: " + e.getMessage());
                continue;
            }
            byte[] msg = new byte[buf.position()];
            buf.flip().get(msg);
            try {
                handle(ch, client, msg, resolver);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "DNS server: query from " + client + ": " + e.getMessage(), e);
            }
        }
    }

    private void handle(DatagramChannel ch, SocketAddress client, byte[] msg, Resolver resolver) {
        DnsMessage.Query q;
        try {
            q = DnsMessage.parseQuery(msg, msg.length);
        } catch (DnsMessage.Malformed e) {
            if (e.rcode >= 0) reply(ch, client, DnsMessage.error(msg, e.rcode));
            return;
        }
        List<Inet4Address> known = q.qclass() == DnsMessage.CLASS_IN ? resolver.resolve(q.name()) : List.of();
        if (!known.isEmpty()) {
            reply(ch, client, DnsMessage.answer(q, known, TTL));
            return;
        }
        try {
            threads.execute(() -> reply(ch, client, forward(q, msg)));
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /** The first upstream answer to {@code msg} (the query as the client sent it), or SERVFAIL. */
    private byte[] forward(DnsMessage.Query q, byte[] msg) {
        for (InetSocketAddress upstream : upstreams) {
            try (DatagramSocket s = new DatagramSocket()) {
                s.connect(upstream);
                s.setSoTimeout((int) Math.max(1, upstreamTimeout.toMillis()));
                s.send(new DatagramPacket(msg, msg.length));
                long deadline = System.nanoTime() + upstreamTimeout.toNanos();
                byte[] buf = new byte[MAX_MESSAGE];
                while (System.nanoTime() < deadline) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    s.receive(p);
                    if (DnsMessage.id(buf, p.getLength()) == q.id() && DnsMessage.isResponse(buf, p.getLength())) {
                        byte[] answer = new byte[p.getLength()];
                        System.arraycopy(buf, 0, answer, 0, p.getLength());
                        return answer;
                    }
                }
            } catch (SocketTimeoutException e) {
                // the next one
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()) break; // closing
                LOG.log(Level.FINE, "DNS server: forward to " + upstream + ": " + e.getMessage());
            }
        }
        return DnsMessage.error(q, DnsMessage.SERVFAIL);
    }

    private static void reply(DatagramChannel ch, SocketAddress client, byte[] answer) {
        try {
            ch.send(ByteBuffer.wrap(answer), client);
        } catch (IOException e) {
            // the socket was closed meanwhile, or the client is gone: nothing to tell anyone
        }
    }

    private static void closeQuietly(DatagramChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing a datagram socket does not fail in a way worth reporting
        }
    }

    /** Closes every socket and waits for the threads reading them and the forwarding ones to end. */
    @Override
    public void close() {
        List<DatagramChannel> all;
        synchronized (this) {
            if (closed) return;
            closed = true;
            all = new ArrayList<>(open);
            open.clear();
            byNamespace.clear();
        }
        for (DatagramChannel ch : all) closeQuietly(ch);
        threads.shutdownNow();
        try {
            if (!threads.awaitTermination(10, TimeUnit.SECONDS)) LOG.warning("DNS server: threads still running after close");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
