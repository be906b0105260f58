package berth.cli;

import berth.cli.client.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContainerOptionsTest {
    private static ContainerOptions.Spec run(String... argv) {
        return ContainerOptions.parse(ContainerOptions.flags(true).parse(List.of(argv)), true);
    }

    @Test
    void runFlagsMapToTheCreateBodyAsTheDockerCliSendsThem(@TempDir Path dir) throws Exception {
        Path seccomp = Files.writeString(dir.resolve("profile.json"), "{\n  \"defaultAction\": \"SCMP_ACT_ALLOW\"\n}\n");
        ContainerOptions.Spec s = run("--name", "web", "-e", "A=1", "-w", "/srv", "-u", "1000:1000", "--entrypoint", "",
                "-l", "tier=front", "--init", "--cap-add", "NET_ADMIN", "--cap-drop", "ALL", "--read-only", "--tmpfs", "/run:size=64m",
                "--security-opt", "seccomp=" + seccomp, "--ulimit", "nofile=1024:2048", "--restart", "on-failure:3",
                "--cpus", "1.5", "--cpu-shares", "512", "--cpuset-cpus", "0", "-m", "64m", "--memory-swap", "-1", "--pids-limit", "100",
                "--device", "/dev/fuse", "-v", "/host:/ctr:ro", "-v", "/anon", "--mount", "type=tmpfs,target=/t,tmpfs-size=1m",
                "-p", "127.0.0.1:8080:80", "-p", "53:53/udp", "--network", "appnet", "--network-alias", "api", "--ip", "10.1.0.5",
                "--dns", "1.1.1.1", "--add-host", "db=10.0.0.2", "--stop-signal", "SIGINT", "--stop-timeout", "5", "--hostname", "h1",
                "busybox", "sh", "-c", "echo hi");
        JsonNode b = s.body();
        assertEquals("web", s.name());
        assertEquals("busybox", b.path("Image").asText());
        assertEquals(List.of("sh", "-c", "echo hi"), texts(b.path("Cmd")));
        assertEquals(List.of(""), texts(b.path("Entrypoint")));
        assertEquals(List.of("A=1"), texts(b.path("Env")));
        assertEquals("/srv", b.path("WorkingDir").asText());
        assertEquals("1000:1000", b.path("User").asText());
        assertEquals("h1", b.path("Hostname").asText());
        assertEquals("front", b.path("Labels").path("tier").asText());
        assertEquals("SIGINT", b.path("StopSignal").asText());
        assertEquals(5, b.path("StopTimeout").asInt());
        assertTrue(b.path("AttachStdout").asBoolean() && b.path("AttachStderr").asBoolean() && !b.path("AttachStdin").asBoolean());
        assertTrue(b.path("ExposedPorts").has("80/tcp") && b.path("ExposedPorts").has("53/udp"));
        assertTrue(b.path("Volumes").has("/anon"));
        JsonNode h = b.path("HostConfig");
        assertEquals("127.0.0.1", h.path("PortBindings").path("80/tcp").get(0).path("HostIp").asText());
        assertEquals("8080", h.path("PortBindings").path("80/tcp").get(0).path("HostPort").asText());
        assertEquals(List.of("/host:/ctr:ro"), texts(h.path("Binds")));
        assertEquals("tmpfs", h.path("Mounts").get(0).path("Type").asText());
        assertEquals(1 << 20, h.path("Mounts").get(0).path("TmpfsOptions").path("SizeBytes").asLong());
        assertEquals("size=64m", h.path("Tmpfs").path("/run").asText());
        assertEquals(1_500_000_000L, h.path("NanoCpus").asLong());
        assertEquals(512, h.path("CpuShares").asInt());
        assertEquals(64L << 20, h.path("Memory").asLong());
        assertEquals(-1, h.path("MemorySwap").asLong());
        assertEquals(100, h.path("PidsLimit").asLong());
        assertEquals("/dev/fuse", h.path("Devices").get(0).path("PathInContainer").asText());
        assertEquals("rwm", h.path("Devices").get(0).path("CgroupPermissions").asText());
        assertEquals(2048, h.path("Ulimits").get(0).path("Hard").asLong());
        assertEquals("on-failure", h.path("RestartPolicy").path("Name").asText());
        assertEquals(3, h.path("RestartPolicy").path("MaximumRetryCount").asInt());
        assertTrue(h.path("Init").asBoolean() && h.path("ReadonlyRootfs").asBoolean());
        assertEquals(List.of("NET_ADMIN"), texts(h.path("CapAdd")));
        assertEquals(List.of("seccomp={\"defaultAction\":\"SCMP_ACT_ALLOW\"}"), texts(h.path("SecurityOpt")));
        assertEquals(List.of("db:10.0.0.2"), texts(h.path("ExtraHosts")));
        assertEquals("appnet", h.path("NetworkMode").asText());
        JsonNode ep = b.path("NetworkingConfig").path("EndpointsConfig").path("appnet");
        assertEquals(List.of("api"), texts(ep.path("Aliases")));
        assertEquals("10.1.0.5", ep.path("IPAMConfig").path("IPv4Address").asText());
    }

    @Test
    void interactiveAndDetachedAttachLikeDocker() {
        JsonNode it = run("-it", "busybox").body();
        assertTrue(it.path("AttachStdin").asBoolean() && it.path("OpenStdin").asBoolean() && it.path("StdinOnce").asBoolean() && it.path("Tty").asBoolean());
        ContainerOptions.Spec d = run("-d", "-i", "busybox");
        assertTrue(d.detach());
        assertTrue(d.body().path("OpenStdin").asBoolean());
        assertFalse(d.body().path("AttachStdin").asBoolean() || d.body().path("AttachStdout").asBoolean() || d.body().path("StdinOnce").asBoolean());
        JsonNode errOnly = run("-a", "stderr", "busybox").body();
        assertFalse(errOnly.path("AttachStdout").asBoolean());
        assertTrue(errOnly.path("AttachStderr").asBoolean());
        assertEquals("default", run("busybox").body().path("HostConfig").path("NetworkMode").asText());
        assertFalse(run("busybox").body().has("NetworkingConfig"));
        assertFalse(run("busybox").body().has("Entrypoint"));
    }

    @Test
    void portRangesAndBadSpecs() {
        var exposed = Json.object();
        var bindings = Json.object();
        PortSpec.publish("8000-8001:80-81", exposed, bindings);
        PortSpec.publish("[::1]:9000:90/sctp", exposed, bindings);
        PortSpec.publish("70", exposed, bindings);
        assertEquals("8001", bindings.path("81/tcp").get(0).path("HostPort").asText());
        assertEquals("::1", bindings.path("90/sctp").get(0).path("HostIp").asText());
        assertEquals("", bindings.path("70/tcp").get(0).path("HostPort").asText());
        assertEquals(List.of("1000/tcp", "1001/tcp"), PortSpec.expose("1000-1001"));
        assertThrows(UsageException.class, () -> PortSpec.publish("80/icmp", exposed, bindings));
        assertThrows(UsageException.class, () -> PortSpec.publish("1:2:3:4", exposed, bindings));
        assertThrows(UsageException.class, () -> PortSpec.publish("8000-8002:80-81", exposed, bindings));
    }

    @Test
    void invalidCombinationsAreUsageErrors() {
        assertThrows(UsageException.class, () -> run("--rm", "--restart", "always", "busybox"));
        assertThrows(UsageException.class, () -> run("-d", "-a", "stdout", "busybox"));
        assertThrows(UsageException.class, () -> run("--network-alias", "x", "busybox"));
        assertThrows(UsageException.class, () -> run("-m", "lots", "busybox"));
        assertThrows(UsageException.class, () -> run("--restart", "sometimes", "busybox"));
        assertThrows(UsageException.class, () -> run("--pull", "maybe", "busybox"));
        assertThrows(UsageException.class, () -> run());
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
