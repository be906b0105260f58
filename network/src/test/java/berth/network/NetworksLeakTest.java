package berth.network;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 1000 attach/detach cycles, four at a time, each in a namespace of its own, every tenth with published TCP
 * and UDP ports;
 * afterwards veths, namespaces, iptables rules, host-local allocations, CNI cache entries and endpoint
 * records are what they were before (needs root; takes about a minute and a half).
 */
class NetworksLeakTest {
    private static final int CYCLES = 1000;
    /** Attachments run concurrently, as an engine starting containers does; most of a cycle is the kernel deleting the veth. */
    private static final int WORKERS = 4;

    @BeforeAll
    static void needsRoot() {
        // Fails, never skips: a skipped test would count as a pass (.ci/run installs all of these).
        assertTrue(HostFixture.available(), "needs root, ip, iptables and the CNI plugins in /usr/lib/cni");
    }

    @Test
    void attachDetachCyclesLeakNothing() throws Exception {
        try (HostFixture f = new HostFixture()) {
            Network n = f.networks.create("leak", null, null, false, null);
            NetworksTest.warmUp(f, "leak");
            String iptables = HostFixture.iptables();
            List<String> veths = HostFixture.veths();
            List<String> namespaces = namespaces();
            List<String> ipam = files(f.root.resolve("cni/ipam/leak"));
            List<String> cache = files(f.root.resolve("cni/results"));
            List<String> records = files(f.root.resolve("endpoints").resolve(n.id()));

            long start = System.nanoTime();
            try (var workers = Executors.newFixedThreadPool(WORKERS)) {
                List<Future<?>> done = new ArrayList<>();
                for (int w = 0; w < WORKERS; w++) {
                    int worker = w;
                    done.add(workers.submit(() -> {
                        for (int i = worker; i < CYCLES; i += WORKERS) cycle(f, i);
                        return null;
                    }));
                }
                for (Future<?> d : done) d.get();
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("leak test: %d attach/detach cycles in %.1f s (%.1f ms per cycle)%n", CYCLES, millis / 1000.0, (double) millis / CYCLES);

            assertEquals(iptables, HostFixture.iptables());
            NetworksTest.awaitVeths(veths);
            assertEquals(namespaces, namespaces());
            assertEquals(ipam, files(f.root.resolve("cni/ipam/leak")));
            assertEquals(cache, files(f.root.resolve("cni/results")));
            assertEquals(records, files(f.root.resolve("endpoints").resolve(n.id())));
            assertEquals(List.of(), f.networks.endpoints("leak"));
        }
    }

    /** One namespace: made, attached (every tenth with published ports), detached, deleted. */
    private static void cycle(HostFixture f, int i) {
        Path ns = f.namespace();
        List<PortMapping> ports = i % 10 == 0
                ? List.of(new PortMapping(null, 0, 80, "tcp"), new PortMapping(null, 0, 53, "udp"))
                : List.of();
        Endpoint ep = f.networks.attach(new AttachRequest("leak" + i, null, ns, "leak", null, null, null, ports));
        assertTrue(ep.ip() != null && ep.ports().stream().allMatch(p -> p.hostPort() > 0));
        f.networks.detach("leak" + i, "leak");
        f.deleteNamespace(ns);
    }

    private static List<String> namespaces() {
        return HostFixture.check("ip", "netns", "list").lines().map(l -> l.split(" ")[0]).sorted().toList();
    }

    /** The file names in {@code dir} without host-local's lock and last_reserved_ip (which move on by design). */
    private static List<String> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(name -> !name.equals("lock") && !name.startsWith("last_reserved_ip"))
                    .sorted().toList();
        }
    }
}
