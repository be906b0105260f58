package berth.engine.spec;

import berth.cgroups.Resources;
import berth.runtime.Json;
import berth.runtime.spec.Spec;
import berth.runtime.spec.SpecParser;
import berth.runtime.spec.SpecValidator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The config.json we write is what berth's runtime reads: its parser, validator and cgroup reader accept it. */
class SpecRoundTripTest {
    @TempDir
    Path rootfs;

    @BeforeEach
    void etc() throws IOException {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n");
    }

    private Spec runtimeReads(String body, List<OciMount> mounts, NamespacePaths ns) throws IOException {
        ObjectNode config = OciSpecBuilder.build(OciSpecBuilderTest.inputs(rootfs, body, mounts, ns));
        byte[] bytes = new ObjectMapper().writeValueAsBytes(config);
        Map<String, Object> json = Json.parse(bytes, "config.json");
        Spec spec = SpecParser.parse(json);
        SpecValidator.validate(spec, rootfs);
        @SuppressWarnings("unchecked")
        Map<String, Object> resources = (Map<String, Object>) ((Map<String, Object>) json.get("linux")).get("resources");
        Resources.fromOci(resources);
        return spec;
    }

    @Test
    void defaultContainer() throws IOException {
        Spec spec = runtimeReads("{'Image':'busybox','Cmd':['echo','hi']}", List.of(OciMount.file("/tmp/hosts", "/etc/hosts", false)),
                NamespacePaths.NONE);
        assertEquals(List.of("echo", "hi"), spec.process().args());
        assertEquals(14, spec.process().capabilities().bounding().size());
        assertNotNull(spec.linux().seccomp());
        assertTrue(spec.linux().createsNamespace("network"));
        assertEquals("0", spec.linux().sysctl().get("net.ipv4.ip_unprivileged_port_start"));
        assertEquals(8, spec.mounts().size());
    }

    @Test
    void privilegedWithInitAndEverythingElse() throws IOException {
        Spec spec = runtimeReads("{'Image':'busybox','User':'app','Tty':true,'Domainname':'example.org',"
                + "'HostConfig':{'Privileged':true,'Init':true,'ReadonlyRootfs':true,'Memory':67108864,'NanoCpus':500000000,"
                + "'PidsLimit':100,'Ulimits':[{'Name':'nproc','Soft':100,'Hard':200}],'ShmSize':1048576,"
                + "'Sysctls':{'kernel.shmmax':'4096','net.ipv4.ip_forward':'1'},'Tmpfs':{'/run':'size=1m'}}}",
                List.of(OciMount.tmpfs("/run", "size=1m")), NamespacePaths.NONE);
        assertEquals(List.of("/sbin/docker-init", "--", "sh"), spec.process().args());
        assertNull(spec.linux().seccomp());
        assertEquals(1000, spec.process().user().uid());
        assertTrue(spec.root().readonly());
        assertEquals("1", spec.linux().sysctl().get("net.ipv4.ip_forward"));
        assertEquals(3, spec.linux().devices().size());
    }

    @Test
    void joinedNamespaces() throws IOException {
        Spec spec = runtimeReads("{'Image':'busybox','HostConfig':{'NetworkMode':'container:db','PidMode':'container:db',"
                + "'IpcMode':'container:db','UTSMode':'host','SecurityOpt':['seccomp=unconfined','no-new-privileges'],"
                + "'Devices':[{'PathOnHost':'/dev/fuse','PathInContainer':'/dev/fuse','CgroupPermissions':'rwm'}]}}",
                List.of(), new NamespacePaths("/proc/self/ns/net", "/proc/self/ns/pid", "/proc/self/ns/ipc"));
        assertFalse(spec.linux().createsNamespace("network"));
        assertEquals("/proc/self/ns/pid", spec.linux().namespace("pid").orElseThrow().path());
        assertTrue(spec.linux().namespace("uts").isEmpty());
        assertTrue(spec.process().noNewPrivileges());
        assertEquals("/dev/fuse", spec.linux().devices().getFirst().path());
    }

    @Test
    void daemonMadeNetworkNamespaceKeepsNetworkSysctlsOut() throws IOException {
        Spec spec = runtimeReads("{'Image':'busybox','HostConfig':{'Sysctls':{'net.core.somaxconn':'512'}}}", List.of(),
                new NamespacePaths("/proc/self/ns/net", null, null));
        assertTrue(spec.linux().sysctl().isEmpty());
    }
}
