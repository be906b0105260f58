package berth.network;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * For the tests that need root, the CNI plugins and a real kernel: a fresh berth root (so a fresh prefix),
 * network namespaces made with {@code ip netns add berth-t-...}, processes started inside them, and a close
 * that detaches everything, removes the networks, kills the processes and deletes the namespaces and the
 * root, whatever the test did.
 */
public final class HostFixture implements AutoCloseable {
    final Path root;
    final Networks networks;
    private final List<String> namespaces = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<Process> processes = new ArrayList<>();

    HostFixture() throws IOException {
        root = Files.createTempDirectory("berth-net-test-");
        networks = new Networks(root, null, null);
    }

    /** Whether this test can run here: root, the plugins, ip and iptables. */
    public static boolean available() {
        return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/lib/cni/bridge"))
                && run("ip", "-V").status() == 0 && run("iptables", "-V").status() == 0;
    }

    public record Result(int status, String out) {}

    public static Result run(String... cmd) {
        return run(List.of(cmd), 30);
    }

    public static Result run(List<String> cmd, long timeoutSeconds) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("PATH", pb.environment().getOrDefault("PATH", "") + ":/usr/sbin:/sbin");
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(127, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    public static String check(String... cmd) {
        Result r = run(cmd);
        if (r.status() != 0) throw new IllegalStateException(String.join(" ", cmd) + ": " + r.out());
        return r.out();
    }

    /** A new namespace {@code berth-t-<8 hex>}; its path is returned. */
    Path namespace() {
        String name = "berth-t-" + UUID.randomUUID().toString().substring(0, 8);
        check("ip", "netns", "add", name);
        namespaces.add(name);
        return Path.of("/run/netns", name);
    }

    /** Deletes a namespace made by {@link #namespace()} (behind berth's back). */
    void deleteNamespace(Path ns) {
        String name = ns.getFileName().toString();
        run("ip", "netns", "delete", name);
        namespaces.remove(name);
    }

    /** Runs {@code cmd} in the namespace and waits. */
    static Result in(Path ns, String... cmd) {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns.getFileName().toString()));
        argv.addAll(List.of(cmd));
        return run(argv, 30);
    }

    /** Starts {@code cmd} in the namespace in the background; close kills it. */
    Process startIn(Path ns, String... cmd) throws IOException {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns.getFileName().toString()));
        argv.addAll(List.of(cmd));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        processes.add(p);
        return p;
    }

    /** iptables-save without comments and counters, for before/after comparisons. */
    static String iptables() {
        return check("iptables-save").lines()
                .filter(l -> !l.startsWith("#"))
                .map(l -> l.replaceAll("\\[\\d+:\\d+\\]", "[]"))
                .collect(Collectors.joining("\n"));
    }

    /** Names of the host's veth interfaces. */
    static List<String> veths() {
        return check("ip", "-o", "link", "show", "type", "veth").lines()
                .map(l -> l.split(":\\s+")[1].split("@")[0]).sorted().toList();
    }

    /** The first IPv4 address of an up, non-loopback interface that is not a bridge or a veth: the host's own. */
    static String hostAddress() throws SocketException {
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nif.isUp() || nif.isLoopback() || nif.getName().startsWith("veth")
                    || Files.exists(Path.of("/sys/class/net", nif.getName(), "bridge"))) continue;
            for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                if (a instanceof Inet4Address) return a.getHostAddress();
            }
        }
        throw new IllegalStateException("no IPv4 address on this host");
    }

    /** Waits until {@code port} is listening inside the namespace. */
    static void awaitListening(Path ns, int port, String proto) throws InterruptedException {
        String flag = proto.equals("udp") ? "-uln" : "-tln";
        for (int i = 0; i < 100; i++) {
            if (in(ns, "ss", "-H", flag, "sport = :" + port).out().contains(":" + port)) return;
            Thread.sleep(50);
        }
        throw new IllegalStateException("nothing listens on " + proto + " port " + port + " in " + ns);
    }

    @Override
    public void close() {
        List<String> problems = new ArrayList<>();
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Network n : safeList()) {
            for (Endpoint e : safe(() -> networks.endpoints(n.id()))) {
                try {
                    networks.detach(e.containerId(), n.id());
                } catch (RuntimeException ex) {
                    problems.add(ex.getMessage());
                }
            }
        }
        try {
            networks.reconcile();
        } catch (RuntimeException ex) {
            problems.add(ex.getMessage());
        }
        for (Network n : safeList()) {
            try {
                networks.remove(n.id());
            } catch (RuntimeException ex) {
                problems.add(ex.getMessage());
            }
        }
        for (String ns : List.copyOf(namespaces)) run("ip", "netns", "delete", ns);
        run("rm", "-rf", root.toString());
        if (!problems.isEmpty()) throw new IllegalStateException("cleanup: " + problems);
    }

    private List<Network> safeList() {
        return safe(networks::list);
    }

    private static <T> List<T> safe(java.util.function.Supplier<List<T>> s) {
        try {
            return s.get();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    static Map<String, String> labels() {
        return Map.of("test", "berth.network");
    }
}
