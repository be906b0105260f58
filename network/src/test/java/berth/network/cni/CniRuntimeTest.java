package berth.network.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CNI runtime against recorded plugin runs: what each plugin is given, in which order, and what is cached. */
class CniRuntimeTest {
    @TempDir
    Path tmp;
    Path bin1, bin2, cacheDir;
    RecordingPluginExec exec;
    CniRuntime cni;

    @BeforeEach
    void setUp() throws IOException {
        bin1 = Files.createDirectories(tmp.resolve("bin1"));
        bin2 = Files.createDirectories(tmp.resolve("bin2"));
        for (Path p : List.of(bin1.resolve("bridge"), bin2.resolve("portmap"), bin2.resolve("bridge"), bin2.resolve("loopback"))) {
            Files.createFile(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        }
        cacheDir = tmp.resolve("cni");
        exec = new RecordingPluginExec();
        cni = new CniRuntime(List.of(bin1, bin2), cacheDir, exec);
    }

    static CniConfigList list() {
        return CniConfigList.parse("""
                {"cniVersion":"1.0.0","name":"net1","plugins":[
                  {"type":"bridge","bridge":"br-x","ipam":{"type":"host-local"}},
                  {"type":"portmap","capabilities":{"portMappings":true,"bandwidth":false},"snat":true,"runtimeConfig":{"stale":1}}]}
                """.getBytes(StandardCharsets.UTF_8));
    }

    static RuntimeConf rt() {
        Map<String, String> args = new LinkedHashMap<>();
        args.put("IgnoreUnknown", "1");
        args.put("IP", "10.9.0.7");
        return new RuntimeConf("c0ffee", "/run/netns/x", "eth0", args,
                Map.of("portMappings", List.of(Map.of("hostPort", 8080, "containerPort", 80, "protocol", "tcp")),
                        "bandwidth", Map.of("ingressRate", 1)));
    }

    @Test
    void addRunsThePluginsInOrderChainingResultsAndCachesTheLast() throws IOException {
        CniResult r = cni.add(list(), rt());
        assertEquals("10.9.0.2", r.sandboxAddress().ip());
        assertEquals(24, r.sandboxAddress().prefixLength());
        assertEquals("aa:00:00:00:00:03", r.interfaceAt(r.sandboxAddress().interfaceIndex()).mac());

        assertEquals(List.of("bridge", "portmap"), exec.calls.stream().map(RecordingPluginExec.Call::plugin).toList());
        var bridge = exec.calls.get(0);
        assertEquals(Map.of("CNI_COMMAND", "ADD", "CNI_CONTAINERID", "c0ffee", "CNI_NETNS", "/run/netns/x", "CNI_IFNAME", "eth0",
                "CNI_ARGS", "IgnoreUnknown=1;IP=10.9.0.7", "CNI_PATH", bin1 + ":" + bin2), bridge.env());
        assertEquals("net1", bridge.stdin().get("name").asText());
        assertEquals("1.0.0", bridge.stdin().get("cniVersion").asText());
        assertFalse(bridge.stdin().has("prevResult"));
        assertFalse(bridge.stdin().has("runtimeConfig"), "bridge declares no capabilities");

        var portmap = exec.calls.get(1);
        assertEquals("net1", portmap.stdin().get("name").asText());
        assertEquals("10.9.0.2/24", portmap.stdin().at("/prevResult/ips/0/address").asText());
        assertEquals(8080, portmap.stdin().at("/runtimeConfig/portMappings/0/hostPort").asInt());
        assertFalse(portmap.stdin().get("runtimeConfig").has("bandwidth"), "only declared (true) capabilities");
        assertFalse(portmap.stdin().get("runtimeConfig").has("stale"), "runtimeConfig is the runtime's");

        Path file = cacheDir.resolve("results/net1-c0ffee-eth0");
        JsonNode cached = RecordingPluginExec.JSON.readTree(file.toFile());
        assertEquals("cniCacheV1", cached.get("kind").asText());
        assertEquals("c0ffee", cached.get("containerId").asText());
        assertEquals("eth0", cached.get("ifName").asText());
        assertEquals("net1", cached.get("networkName").asText());
        assertEquals("[[\"IgnoreUnknown\",\"1\"],[\"IP\",\"10.9.0.7\"]]", cached.get("cniArgs").toString());
        assertEquals(8080, cached.at("/capabilityArgs/portMappings/0/hostPort").asInt());
        assertEquals("10.9.0.2/24", cached.at("/result/ips/0/address").asText());
        assertEquals(list(), CniConfigList.parse(Base64.getDecoder().decode(cached.get("config").asText())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temporary files left");
        }
    }

    @Test
    void delRunsInReverseWithTheCachedConfigArgumentsAndResultThenForgetsIt() {
        cni.add(list(), rt());
        exec.calls.clear();
        CniConfigList changed = CniConfigList.parse("""
                {"cniVersion":"1.0.0","name":"net1","plugins":[{"type":"bridge","bridge":"br-changed"}]}""".getBytes(StandardCharsets.UTF_8));
        cni.del(changed, new RuntimeConf("c0ffee", "", "eth0", null, null));

        assertEquals(List.of("portmap", "bridge"), exec.calls.stream().map(RecordingPluginExec.Call::plugin).toList());
        for (var c : exec.calls) {
            assertEquals("DEL", c.command());
            assertEquals("", c.env().get("CNI_NETNS"));
            assertEquals("IgnoreUnknown=1;IP=10.9.0.7", c.env().get("CNI_ARGS"));
            assertEquals("10.9.0.2/24", c.stdin().at("/prevResult/ips/0/address").asText());
        }
        assertEquals("br-x", exec.calls.get(1).stdin().get("bridge").asText(), "the configuration ADD used");
        assertEquals(8080, exec.calls.get(0).stdin().at("/runtimeConfig/portMappings/0/hostPort").asInt());
        assertTrue(cni.cache().get("net1", "c0ffee", "eth0").isEmpty());

        exec.calls.clear();
        cni.del(list(), rt());
        assertEquals(List.of("portmap", "bridge"), exec.calls.stream().map(RecordingPluginExec.Call::plugin).toList());
        assertFalse(exec.calls.getFirst().stdin().has("prevResult"), "nothing cached: DEL without prevResult");

        exec.calls.clear();
        cni.del((CniConfigList) null, rt());
        assertEquals(List.of(), exec.calls);
    }

    @Test
    void checkUsesTheCachedResultAndNeedsOne() {
        assertThrows(CniException.class, () -> cni.check(list(), rt()));
        cni.add(list(), rt());
        exec.calls.clear();
        cni.check(list(), rt());
        assertEquals(List.of("CHECK", "CHECK"), exec.calls.stream().map(RecordingPluginExec.Call::command).toList());
        assertEquals("10.9.0.2/24", exec.calls.getFirst().stdin().at("/prevResult/ips/0/address").asText());
    }

    @Test
    void aPluginErrorBecomesOneLineAndNothingIsCached() {
        exec.answers.add(RecordingPluginExec.fail("{\"cniVersion\":\"1.0.0\",\"code\":11,\"msg\":\"busy\",\"details\":\"try\\nlater\"}",
                "first line\nsecond line\n"));
        CniException e = assertThrows(CniException.class, () -> cni.add(list(), rt()));
        assertEquals("network net1: plugin bridge ADD failed: busy: try | later; stderr: first line | second line (code 11)", e.getMessage());
        assertEquals(11, e.code());
        assertEquals("bridge", e.plugin());
        assertEquals("ADD", e.command());
        assertTrue(cni.cache().get("net1", "c0ffee", "eth0").isEmpty());

        exec.answers.add(RecordingPluginExec.fail("", "panic: runtime error\ngoroutine 1"));
        e = assertThrows(CniException.class, () -> cni.add(list(), rt()));
        assertEquals("network net1: plugin bridge ADD failed: exit status 1; stderr: panic: runtime error | goroutine 1", e.getMessage());

        exec.answers.add(RecordingPluginExec.ok("not json"));
        e = assertThrows(CniException.class, () -> cni.add(list(), rt()));
        assertTrue(e.getMessage().startsWith("network net1: plugin bridge ADD failed: plugin printed no result"), e.getMessage());
    }

    @Test
    void pluginsAreLookedUpInOrderAndAMissingOneIsNamed() throws IOException {
        assertEquals(bin1.resolve("bridge"), cni.plugin("bridge").orElseThrow());
        assertEquals(bin2.resolve("portmap"), cni.plugin("portmap").orElseThrow());
        assertTrue(cni.plugin("../bin2/portmap").isEmpty());
        CniConfigList missing = CniConfigList.parse("{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"plugins\":[{\"type\":\"nope\"}]}".getBytes());
        CniException e = assertThrows(CniException.class, () -> cni.add(missing, rt()));
        assertEquals("network n: plugin nope ADD failed: plugin not found in " + bin1 + ", " + bin2, e.getMessage());
    }

    @Test
    void aSinglePluginRunsUncached() {
        ObjectNode lo = RecordingPluginExec.JSON.createObjectNode().put("type", "loopback");
        exec.answers.add(RecordingPluginExec.ok("{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"lo\",\"sandbox\":\"/x\"}],"
                + "\"ips\":[{\"interface\":0,\"address\":\"127.0.0.1/8\"}]}"));
        CniResult r = cni.addPlugin("lo", "1.0.0", lo, new RuntimeConf("c", "/x", "lo", null, null));
        assertEquals("127.0.0.1", r.sandboxAddress().ip());
        assertEquals("lo", exec.calls.getFirst().stdin().get("name").asText());
        assertEquals(List.of(), cni.cache().list());
    }

    @Test
    void versionsComeFromTheVersionCommand() {
        exec.answers.add(RecordingPluginExec.ok("{\"cniVersion\":\"1.0.0\",\"supportedVersions\":[\"0.4.0\",\"1.0.0\"]}"));
        assertEquals(List.of("0.4.0", "1.0.0"), cni.versions("bridge"));
        assertEquals("VERSION", exec.calls.getFirst().command());
    }

    @Test
    void invalidInputIsRefusedBeforeAnyPluginRuns() {
        assertThrows(IllegalArgumentException.class, () -> new RuntimeConf("bad/id", "", "eth0", null, null));
        assertThrows(IllegalArgumentException.class, () -> new RuntimeConf("c", "", "way-too-long-ifname", null, null));
        assertThrows(IllegalArgumentException.class, () -> new RuntimeConf("c", "", "eth0", Map.of("A", "b;c"), null));
        assertThrows(IllegalArgumentException.class, () -> CniConfigList.parse("{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"plugins\":[{}]}".getBytes()));
        assertThrows(IllegalArgumentException.class, () -> CniConfigList.parse("{\"cniVersion\":\"1.0.0\",\"name\":\"n\"}".getBytes()));
        assertEquals(List.of(), exec.calls);
    }

    @Test
    void theCacheListsEntriesAndSkipsStrangers() throws IOException {
        cni.add(list(), rt());
        cni.add(list(), new RuntimeConf("other", "/run/netns/y", "eth1", null, null));
        Files.writeString(cacheDir.resolve("results/garbage"), "{}");
        assertEquals(List.of("c0ffee/eth0", "other/eth1"), cni.cache().list().stream()
                .map(e -> e.containerId() + "/" + e.ifname()).sorted().toList());
    }
}
