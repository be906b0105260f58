package berth.network;

import berth.network.cni.PluginExec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Networks without root: host commands and plugins are recorded and answered, /proc/net/route and
 * /sys/class/net are files under a temporary directory, and a namespace is any file (it has an inode).
 */
class NetworksUnitTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    Path root, sys, routeFile, pluginDir;
    RecordingCommands cmds;
    final List<JsonNode> pluginInputs = new ArrayList<>();
    final List<Map<String, String>> pluginEnvs = new ArrayList<>();
    Networks networks;

    @BeforeEach
    void setUp() throws IOException {
        root = tmp.resolve("root");
        sys = Files.createDirectories(tmp.resolve("sys"));
        routeFile = tmp.resolve("route");
        Files.writeString(routeFile, """
                Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
                eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0
                eth0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
                """);
        pluginDir = Files.createDirectories(tmp.resolve("cni-bin"));
        for (String p : List.of("bridge", "portmap", "loopback")) {
            Files.createFile(pluginDir.resolve(p), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        }
        cmds = new RecordingCommands();
        networks = new Networks(root, List.of(pluginDir), "bt1", cmds, this::plugin, routeFile, sys);
    }

    private PluginExec.Output plugin(Path plugin, Map<String, String> env, byte[] stdin) {
        try {
            JsonNode in = JSON.readTree(stdin);
            pluginInputs.add(in);
            pluginEnvs.add(Map.copyOf(env));
            if (!env.get("CNI_COMMAND").equals("ADD")) return new PluginExec.Output(0, new byte[0], "");
            if (in.has("prevResult")) return new PluginExec.Output(0, in.get("prevResult").toString().getBytes(StandardCharsets.UTF_8), "");
            String ip = env.get("CNI_ARGS").contains("IP=") ? env.get("CNI_ARGS").replaceAll(".*IP=", "") : "172.18.0.2";
            String result = """
                    {"cniVersion":"1.0.0","interfaces":[{"name":"br"},{"name":"veth"},{"name":"eth0","mac":"02:00:00:00:00:09","sandbox":"%s"}],
                     "ips":[{"interface":2,"address":"%s/16","gateway":"172.18.0.1"}]}""".formatted(env.get("CNI_NETNS"), ip);
            return new PluginExec.Output(0, result.getBytes(StandardCharsets.UTF_8), "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path fakeNamespace(String name) throws IOException {
        return Files.createFile(tmp.resolve(name));
    }

    @Test
    void createAvoidsHostRoutesNamesTheBridgeWithThePrefixAndWritesTheRules() {
        Network n = networks.create("app", null, null, false, Map.of("k", "v"));
        assertEquals("172.18.0.0/16", n.subnet(), "172.17.0.0/16 is routed on eth0");
        assertEquals("172.18.0.1", n.gateway());
        assertTrue(n.bridge().matches("bt1-[0-9a-f]{8}"), n.bridge());
        assertTrue(n.id().startsWith(n.bridge().substring(4)));
        RecordingCommands.Call batch = cmds.calls.getFirst();
        assertEquals("ip -batch -", batch.line());
        assertEquals("link add name %s type bridge\naddr replace 172.18.0.1/16 dev %s\nlink set dev %s up\n"
                .formatted(n.bridge(), n.bridge(), n.bridge()), batch.stdin());
        assertTrue(cmds.calls.stream().anyMatch(c -> c.line().equals("iptables-restore -w --noflush")
                && c.stdin().contains("-A BERTH-FWD-bt1 -i " + n.bridge() + " ! -o " + n.bridge() + " -j BERTH-ISO-bt1")));
        assertTrue(Files.exists(root.resolve("networks").resolve(n.id() + ".json")));

        Network m = networks.create("db", "10.77.0.0/24", "10.77.0.254", true, null);
        assertEquals("10.77.0.254", m.gateway());
        assertEquals(List.of(n, m), networks.list());
        assertEquals(n, networks.get(n.id().substring(0, 5)));
    }

    @Test
    void badRequestsAreRefusedWithClearMessages() {
        networks.create("app", "10.1.0.0/16", null, false, null);
        assertEquals("network with name app already exists",
                assertThrows(NetworkException.Conflict.class, () -> networks.create("app", null, null, false, null)).getMessage());
        assertTrue(assertThrows(NetworkException.Conflict.class, () -> networks.create("x", "10.1.128.0/24", null, false, null))
                .getMessage().contains("overlaps with network app"));
        assertThrows(NetworkException.Invalid.class, () -> networks.create("host", null, null, false, null));
        assertThrows(NetworkException.Invalid.class, () -> networks.create("-x", null, null, false, null));
        assertThrows(NetworkException.Invalid.class, () -> networks.create("x", "10.2.0.0/31", null, false, null));
        assertThrows(NetworkException.Invalid.class, () -> networks.create("x", "10.2.0.0/24", "10.3.0.1", false, null));
        assertThrows(NetworkException.Invalid.class, () -> networks.create("x", "10.2.0.0/24", "10.2.0.255", false, null));
        assertEquals("network nope not found", assertThrows(NetworkException.NotFound.class, () -> networks.get("nope")).getMessage());
        assertThrows(NetworkException.Invalid.class, () -> new Networks(root, List.of(pluginDir), "Bad", cmds, this::plugin, routeFile, sys));
        assertThrows(NetworkException.Invalid.class, () -> new Networks(root, List.of(pluginDir), "toolong", cmds, this::plugin, routeFile, sys));
    }

    @Test
    void theDerivedPrefixIsShortStableAndPerRoot() {
        String p = Networks.derivePrefix(Path.of("/var/lib/berth"));
        assertTrue(p.matches("b[0-9a-f]{5}"), p);
        assertEquals(p, Networks.derivePrefix(Path.of("/var/lib/../lib/berth")));
        assertNotEquals(p, Networks.derivePrefix(Path.of("/var/lib/berth2")));
    }

    @Test
    void attachRunsTheListRecordsTheEndpointAndDetachUndoesIt() throws IOException {
        Network n = networks.create("app", null, null, false, null);
        Path ns = fakeNamespace("ns1");
        Endpoint ep = networks.attach(new AttachRequest("c1", "web", ns, "app", null, null, List.of("www"),
                List.of(new PortMapping(null, 0, 80, "tcp"), new PortMapping("127.0.0.1", 0, 53, "udp"))));
        assertEquals(new Endpoint("c1", "web", "app", "eth0", "172.18.0.2", 16, "172.18.0.1", "02:00:00:00:00:09",
                List.of("www"), ep.ports()), ep);
        assertTrue(ep.ports().get(0).hostPort() > 0 && ep.ports().get(1).hostPort() > 0);
        assertEquals(null, ep.ports().get(0).hostIp());
        assertEquals("127.0.0.1", ep.ports().get(1).hostIp());

        assertEquals(List.of("loopback", "bridge", "portmap"), pluginInputs.stream().map(i -> i.get("type").asText()).toList());
        JsonNode bridge = pluginInputs.get(1);
        assertEquals(n.bridge(), bridge.get("bridge").asText());
        assertTrue(bridge.get("isGateway").asBoolean() && bridge.get("ipMasq").asBoolean() && bridge.get("hairpinMode").asBoolean());
        assertEquals(n.subnet(), bridge.at("/ipam/ranges/0/0/subnet").asText());
        assertEquals(root.resolve("cni/ipam").toAbsolutePath().toString(), bridge.at("/ipam/dataDir").asText());
        assertEquals("IgnoreUnknown=1", pluginEnvs.get(1).get("CNI_ARGS"));
        JsonNode pm = pluginInputs.get(2).at("/runtimeConfig/portMappings");
        assertEquals(ep.ports().get(0).hostPort(), pm.get(0).get("hostPort").asInt());
        assertFalse(pm.get(0).has("hostIP"));
        assertEquals("127.0.0.1", pm.get(1).get("hostIP").asText());
        assertEquals(List.of(ep), networks.endpoints("app"));

        pluginInputs.clear();
        networks.detach("c1", "app");
        assertEquals(List.of("portmap", "bridge"), pluginInputs.stream().map(i -> i.get("type").asText()).toList());
        assertEquals(ns.toString(), pluginEnvs.getLast().get("CNI_NETNS"));
        assertEquals(List.of(), networks.endpoints("app"));
        pluginInputs.clear();
        networks.detach("c1", "app");
        assertEquals(List.of(), pluginInputs, "nothing left to delete");
    }

    @Test
    void aStaticAddressGoesThroughCniArgsAndMustBeAHostOfTheSubnet() throws IOException {
        networks.create("app", "10.5.0.0/24", null, false, null);
        Path ns = fakeNamespace("ns1");
        assertThrows(NetworkException.Invalid.class, () -> networks.attach(new AttachRequest("c1", null, ns, "app", null, "10.5.1.9", null, null)));
        assertThrows(NetworkException.Invalid.class, () -> networks.attach(new AttachRequest("c1", null, ns, "app", null, "10.5.0.255", null, null)));
        assertThrows(NetworkException.Invalid.class, () -> networks.attach(new AttachRequest("c1", null, ns, "app", null, "10.5.0.1", null, null)));
        assertEquals(List.of(), pluginInputs);
        Endpoint ep = networks.attach(new AttachRequest("c1", null, ns, "app", null, "10.5.0.9", null, null));
        assertEquals("10.5.0.9", ep.ip());
        assertEquals("IgnoreUnknown=1;IP=10.5.0.9", pluginEnvs.get(1).get("CNI_ARGS"));
    }

    @Test
    void aFailedAddIsUndoneAndLeavesNoRecord() throws IOException {
        networks.create("app", null, null, false, null);
        Path ns = fakeNamespace("ns1");
        Networks failing = new Networks(root, List.of(pluginDir), "bt1", cmds, (p, env, in) -> {
            PluginExec.Output out = plugin(p, env, in);
            return p.getFileName().toString().equals("portmap") && env.get("CNI_COMMAND").equals("ADD")
                    ? new PluginExec.Output(1, "{\"code\":999,\"msg\":\"no iptables\"}".getBytes(), "")
                    : out;
        }, routeFile, sys);
        NetworkException e = assertThrows(NetworkException.class, () -> failing.attach(new AttachRequest("c1", null, ns, "app", null, null, null,
                List.of(new PortMapping(null, 0, 80, "tcp")))));
        assertEquals("network app: plugin portmap ADD failed: no iptables (code 999)", e.getMessage());
        List<String> dels = new ArrayList<>();
        for (int i = 0; i < pluginEnvs.size(); i++) {
            if (pluginEnvs.get(i).get("CNI_COMMAND").equals("DEL")) dels.add(pluginInputs.get(i).get("type").asText());
        }
        assertEquals(List.of("portmap", "bridge"), dels);
        assertEquals(List.of(), networks.endpoints("app"));
        assertEquals(List.of(), networks.cni().cache().list());
    }

    @Test
    void removeIsRefusedWhileAttachedAndThenTakesTheBridge() throws IOException {
        Network n = networks.create("app", null, null, false, null);
        Files.createDirectories(sys.resolve(n.bridge()).resolve("bridge"));
        networks.attach(new AttachRequest("c1", null, fakeNamespace("ns1"), "app", null, null, null, null));
        NetworkException e = assertThrows(NetworkException.Conflict.class, () -> networks.remove("app"));
        assertTrue(e.getMessage().contains("has active endpoints"), e.getMessage());
        networks.detachAll("c1");
        cmds.calls.clear();
        networks.remove("app");
        assertTrue(cmds.lines().contains("ip link delete dev " + n.bridge()));
        assertTrue(cmds.lines().contains("iptables -w -X BERTH-FWD-bt1"), "the last network takes the chains along");
        assertEquals(List.of(), networks.list());
    }

    @Test
    void reconcileDetachesDeadNamespacesAndRemovesStrayBridges() throws IOException {
        Network n = networks.create("app", null, null, false, null);
        Files.createDirectories(sys.resolve(n.bridge()).resolve("bridge"));
        Files.createDirectories(sys.resolve("bt1-00000000").resolve("bridge"));
        Files.createDirectories(sys.resolve("bt2-00000000").resolve("bridge"));
        Path alive = fakeNamespace("alive"), dead = fakeNamespace("dead");
        networks.attach(new AttachRequest("c1", null, alive, "app", null, null, null, null));
        networks.attach(new AttachRequest("c2", null, dead, "app", null, "172.18.0.3", null, null));
        Files.delete(dead);
        pluginEnvs.clear();
        cmds.calls.clear();

        Networks.Reconciled r = new Networks(root, List.of(pluginDir), "bt1", cmds, this::plugin, routeFile, sys).reconcile();
        assertEquals(List.of("app/c2"), r.detached());
        assertEquals(List.of("bt1-00000000"), r.removedBridges());
        assertTrue(pluginEnvs.stream().allMatch(e -> e.get("CNI_COMMAND").equals("DEL") && e.get("CNI_NETNS").isEmpty()
                && e.get("CNI_CONTAINERID").equals("c2")));
        assertEquals(List.of("c1"), networks.endpoints("app").stream().map(Endpoint::containerId).toList());
        assertTrue(cmds.lines().contains("ip link delete dev bt1-00000000"));
        assertFalse(cmds.lines().stream().anyMatch(l -> l.contains("bt2-")), "another prefix is left alone");
    }

    @Test
    void anInternalNetworkHasNoMasqueradeNoDefaultRouteAndNoPortmap() {
        Network n = new Network("in", "1".repeat(64), "bridge", "10.8.0.0/24", "10.8.0.1", "bt1-11111111", true, Map.of(), "t");
        var conf = CniConfigs.conflist(n, Path.of("/x/ipam"));
        assertEquals(List.of("bridge"), conf.types());
        assertFalse(conf.plugins().getFirst().get("ipMasq").asBoolean());
        assertFalse(conf.plugins().getFirst().get("ipam").has("routes"));
    }

    @Test
    void recordsOnDiskHoldOnlyTheirFields() throws IOException {
        Network n = networks.create("app", null, null, false, null);
        Path ns = fakeNamespace("ns1");
        networks.attach(new AttachRequest("c1", null, ns, "app", null, null, null, null));
        JsonNode rec = JSON.readTree(root.resolve("endpoints").resolve(n.id()).resolve("c1.json").toFile());
        assertEquals(List.of("endpoint", "networkId", "netns", "netnsInode", "attached", "created"), iterable(rec.fieldNames()));
        assertEquals(ns.toString(), rec.get("netns").asText());
        JsonNode net = JSON.readTree(root.resolve("networks").resolve(n.id() + ".json").toFile());
        assertEquals(List.of("name", "id", "driver", "subnet", "gateway", "bridge", "internal", "labels", "created"), iterable(net.fieldNames()));
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
