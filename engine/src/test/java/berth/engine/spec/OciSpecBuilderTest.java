package berth.engine.spec;

import berth.image.ImageConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static berth.engine.spec.Fixtures.HOST;
import static berth.engine.spec.Fixtures.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OciSpecBuilderTest {
    static final String ID = "4f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c";
    static final ImageConfig.RunConfig BUSYBOX = new ImageConfig.RunConfig(null, null,
            List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), null, List.of("sh"), null,
            null, null, null, null, null, null, null);

    @TempDir
    Path rootfs;

    @BeforeEach
    void etc() throws IOException {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/nonexistent:/bin/false\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nnogroup:x:65534:\n");
    }

    static SpecInputs inputs(Path rootfs, String body, List<OciMount> mounts, NamespacePaths ns) {
        return new SpecInputs(request(body), BUSYBOX, ID, rootfs, ID.substring(0, 12), mounts, ns,
                "/berth/" + ID, List.of(), HOST);
    }

    private ObjectNode build(String body) {
        return OciSpecBuilder.build(inputs(rootfs, body, List.of(), NamespacePaths.NONE));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static JsonNode mount(JsonNode spec, String destination) {
        for (JsonNode m : spec.get("mounts")) if (m.get("destination").asText().equals(destination)) return m;
        return null;
    }

    @Test
    void defaultsMatchDocker() {
        ObjectNode spec = build("{'Image':'busybox'}");
        assertEquals("1.0.2", spec.get("ociVersion").asText());
        JsonNode p = spec.get("process");
        assertEquals(List.of("sh"), strings(p.get("args")));
        assertEquals("/", p.get("cwd").asText());
        assertFalse(p.get("terminal").asBoolean());
        assertEquals(List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOSTNAME=4f1c2d3e4f5a",
                "HOME=/root"), strings(p.get("env")));
        assertEquals(0, p.get("user").get("uid").asInt());
        assertEquals(List.of("0"), strings(p.get("user").get("additionalGids")));
        assertEquals(Capabilities.DEFAULT, strings(p.get("capabilities").get("bounding")));
        assertEquals(Capabilities.DEFAULT, strings(p.get("capabilities").get("effective")));
        assertFalse(p.get("noNewPrivileges").asBoolean());
        assertEquals(0, p.get("oomScoreAdj").asInt());
        assertEquals(rootfs.toString(), spec.get("root").get("path").asText());
        assertEquals("4f1c2d3e4f5a", spec.get("hostname").asText());

        List<String> destinations = new ArrayList<>();
        spec.get("mounts").forEach(m -> destinations.add(m.get("destination").asText()));
        assertEquals(List.of("/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue", "/dev/shm"), destinations);
        assertEquals(List.of("rw", "nosuid", "noexec", "nodev", "mode=1777", "size=67108864"),
                strings(mount(spec, "/dev/shm").get("options")));
        assertEquals(List.of("rw", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"),
                strings(mount(spec, "/dev/pts").get("options")));

        JsonNode linux = spec.get("linux");
        assertEquals(List.of("mount", "network", "uts", "pid", "ipc"),
                linux.get("namespaces").findValuesAsText("type"));
        assertTrue(linux.get("namespaces").findValues("path").isEmpty());
        assertEquals("/berth/" + ID, linux.get("cgroupsPath").asText());
        assertTrue(strings(linux.get("maskedPaths")).contains("/proc/kcore"));
        assertEquals(OciDefaults.READONLY_PATHS, strings(linux.get("readonlyPaths")));
        assertEquals(8, linux.get("resources").get("devices").size());
        assertEquals("{\"allow\":false,\"access\":\"rwm\"}", linux.get("resources").get("devices").get(0).toString());
        assertEquals("SCMP_ACT_ERRNO", linux.get("seccomp").get("defaultAction").asText());
        assertEquals(Map.of("net.ipv4.ping_group_range", "0 2147483647", "net.ipv4.ip_unprivileged_port_start", "0"),
                Map.of("net.ipv4.ping_group_range", linux.get("sysctl").get("net.ipv4.ping_group_range").asText(),
                        "net.ipv4.ip_unprivileged_port_start", linux.get("sysctl").get("net.ipv4.ip_unprivileged_port_start").asText()));
        assertEquals(0, linux.get("devices").size());
        assertNull(linux.get("rootfsPropagation"));
    }

    @Test
    void privilegedGetsEverything() {
        ObjectNode spec = build("{'Image':'busybox','HostConfig':{'Privileged':true,'CapDrop':['ALL']}}");
        JsonNode linux = spec.get("linux");
        assertEquals(HOST.allCapabilities(), strings(spec.get("process").get("capabilities").get("bounding")));
        assertNull(linux.get("seccomp"));
        assertEquals(0, linux.get("maskedPaths").size());
        assertEquals(0, linux.get("readonlyPaths").size());
        assertEquals(List.of("nosuid", "noexec", "nodev"), strings(mount(spec, "/sys").get("options")));
        assertEquals(List.of("nosuid", "noexec", "nodev"), strings(mount(spec, "/sys/fs/cgroup").get("options")));
        assertEquals(List.of("/dev/null", "/dev/kmsg", "/dev/sda"), linux.get("devices").findValuesAsText("path"));
        assertEquals("[{\"allow\":true,\"access\":\"rwm\"}]", linux.get("resources").get("devices").toString());
    }

    @Test
    void initRunsDockerInitAsPidOne() {
        ObjectNode spec = build("{'Image':'busybox','Cmd':['sleep','1'],'HostConfig':{'Init':true}}");
        assertEquals(List.of("/sbin/docker-init", "--", "sleep", "1"), strings(spec.get("process").get("args")));
        JsonNode init = mount(spec, "/sbin/docker-init");
        assertEquals("/usr/bin/tini-static", init.get("source").asText());
        assertEquals(List.of("bind", "ro"), strings(init.get("options")));
        ObjectNode sharedPid = OciSpecBuilder.build(inputs(rootfs, "{'Image':'busybox','HostConfig':{'Init':true,"
                + "'PidMode':'container:db'}}", List.of(), new NamespacePaths(null, "/proc/self/ns/pid", null)));
        assertEquals(List.of("sh"), strings(sharedPid.get("process").get("args")), "no init in another's PID namespace");
        SpecInputs noTini = new SpecInputs(request("{'Image':'busybox','HostConfig':{'Init':true}}"), BUSYBOX, ID, rootfs,
                "h", List.of(), NamespacePaths.NONE, null, List.of(), new HostInfo(2, false, 40, null, Fixtures.DEVICES));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OciSpecBuilder.build(noTini)).getMessage()
                .startsWith("--init needs an init binary"));
    }

    @Test
    void processSettingsFromTheRequest() {
        ObjectNode spec = build("{'Image':'busybox','Tty':true,'User':'nobody','WorkingDir':'/work','Env':['HOME=/h'],"
                + "'Entrypoint':['/bin/sh','-c'],'Cmd':['id'],'HostConfig':{'ConsoleSize':[40,120],'GroupAdd':['7'],"
                + "'Ulimits':[{'Name':'nofile','Soft':1024,'Hard':4096}],'SecurityOpt':['no-new-privileges'],"
                + "'OomScoreAdj':-500,'CapAdd':['NET_ADMIN']}}");
        JsonNode p = spec.get("process");
        assertTrue(p.get("terminal").asBoolean());
        assertEquals("{\"height\":40,\"width\":120}", p.get("consoleSize").toString());
        assertEquals(List.of("/bin/sh", "-c", "id"), strings(p.get("args")));
        assertEquals("/work", p.get("cwd").asText());
        assertEquals(List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOSTNAME=4f1c2d3e4f5a",
                "TERM=xterm", "HOME=/h"), strings(p.get("env")));
        assertEquals("{\"uid\":65534,\"gid\":65534,\"additionalGids\":[65534,7]}", p.get("user").toString());
        assertTrue(strings(p.get("capabilities").get("bounding")).contains("CAP_NET_ADMIN"));
        assertEquals(0, p.get("capabilities").get("effective").size(), "a non-root process gets no effective caps");
        assertEquals("[{\"type\":\"RLIMIT_NOFILE\",\"soft\":1024,\"hard\":4096}]", p.get("rlimits").toString());
        assertTrue(p.get("noNewPrivileges").asBoolean());
        assertEquals(-500, p.get("oomScoreAdj").asInt());
        assertEquals("unable to find user ghost: no matching entries in passwd file", assertThrows(
                IllegalArgumentException.class, () -> build("{'Image':'busybox','User':'ghost'}")).getMessage());
    }

    @Test
    void resourcesMapToCgroupSettings() {
        JsonNode r = build("{'Image':'busybox','HostConfig':{'Memory':134217728,'MemoryReservation':67108864,"
                + "'NanoCpus':1500000000,'CpuShares':512,'CpusetCpus':'0-1','PidsLimit':0,'BlkioWeight':300,"
                + "'OomKillDisable':true,'BlkioDeviceReadBps':[{'Path':'/dev/sda','Rate':1048576}]}}")
                .get("linux").get("resources");
        assertEquals("{\"limit\":134217728,\"reservation\":67108864,\"swap\":268435456,\"disableOOMKiller\":true}",
                r.get("memory").toString());
        assertEquals("{\"shares\":512,\"cpus\":\"0-1\",\"period\":100000,\"quota\":150000}", r.get("cpu").toString());
        assertEquals(-1, r.get("pids").get("limit").asLong());
        assertEquals("{\"weight\":300,\"throttleReadBpsDevice\":[{\"major\":8,\"minor\":0,\"rate\":1048576}]}",
                r.get("blockIO").toString());
        JsonNode quota = build("{'Image':'busybox','HostConfig':{'CpuPeriod':50000,'CpuQuota':25000,'PidsLimit':64}}")
                .get("linux").get("resources");
        assertEquals("{\"shares\":0,\"period\":50000,\"quota\":25000}", quota.get("cpu").toString());
        assertEquals(64, quota.get("pids").get("limit").asLong());
        SpecInputs v2 = new SpecInputs(request("{'Image':'busybox','HostConfig':{'OomKillDisable':true}}"), BUSYBOX, ID,
                rootfs, "h", List.of(), NamespacePaths.NONE, null, List.of(), new HostInfo(2, true, 40, null, Fixtures.DEVICES));
        assertFalse(OciSpecBuilder.build(v2).get("linux").get("resources").get("memory").has("disableOOMKiller"));
    }

    @Test
    void devicesAndDeviceRules() {
        JsonNode linux = build("{'Image':'busybox','HostConfig':{'Devices':[{'PathOnHost':'/dev/fuse',"
                + "'PathInContainer':'','CgroupPermissions':'rw'},{'PathOnHost':'/dev/snd','PathInContainer':'/dev/sound',"
                + "'CgroupPermissions':'rwm'}],'DeviceCgroupRules':['c 13:* rwm']}}").get("linux");
        assertEquals(List.of("/dev/fuse", "/dev/sound/seq", "/dev/sound/timer"), linux.get("devices").findValuesAsText("path"));
        assertEquals("{\"path\":\"/dev/fuse\",\"type\":\"c\",\"major\":10,\"minor\":229,\"fileMode\":438,\"uid\":0,\"gid\":0}",
                linux.get("devices").get(0).toString());
        JsonNode rules = linux.get("resources").get("devices");
        assertEquals(12, rules.size());
        assertEquals("{\"allow\":true,\"type\":\"c\",\"major\":10,\"minor\":229,\"access\":\"rw\"}", rules.get(8).toString());
        assertEquals("{\"allow\":true,\"type\":\"c\",\"major\":13,\"access\":\"rwm\"}", rules.get(11).toString());
        assertEquals("error gathering device information while adding custom device \"/dev/nothing\": no such file or directory",
                assertThrows(IllegalArgumentException.class, () -> build("{'Image':'busybox','HostConfig':{'Devices':"
                        + "[{'PathOnHost':'/dev/nothing','PathInContainer':'/dev/nothing','CgroupPermissions':'rwm'}]}}"))
                        .getMessage());
        assertEquals("error gathering device information while adding custom device \"/etc/hostname\": not a device node",
                assertThrows(IllegalArgumentException.class, () -> build("{'Image':'busybox','HostConfig':{'Devices':"
                        + "[{'PathOnHost':'/etc/hostname','PathInContainer':'/x','CgroupPermissions':'rwm'}]}}")).getMessage());
    }

    @Test
    void seccompProfiles() {
        assertNull(build("{'Image':'busybox','HostConfig':{'SecurityOpt':['seccomp=unconfined']}}").get("linux").get("seccomp"));
        JsonNode custom = build("{'Image':'busybox','HostConfig':{'SecurityOpt':['seccomp={\"defaultAction\":\"SCMP_ACT_ALLOW\","
                + "\"syscalls\":[{\"names\":[\"chmod\"],\"action\":\"SCMP_ACT_ERRNO\"},"
                + "{\"names\":[\"ptrace\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"caps\":[\"CAP_SYS_PTRACE\"]}}]}']}}")
                .get("linux").get("seccomp");
        assertEquals("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"chmod\"],\"action\":\"SCMP_ACT_ERRNO\"}]}",
                custom.toString(), "rules for capabilities the container lacks are left out");
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> build("{'Image':'busybox','HostConfig':{'SecurityOpt':['seccomp={not json']}}")).getMessage()
                .startsWith("Decoding seccomp profile failed: "));
        JsonNode withPtrace = build("{'Image':'busybox','HostConfig':{'CapAdd':['SYS_PTRACE']}}").get("linux").get("seccomp");
        assertTrue(withPtrace.toString().contains("\"ptrace\""), "Docker's profile allows ptrace with CAP_SYS_PTRACE");
    }

    @Test
    void mountsFromTheDaemonAndDockersRules() {
        List<OciMount> mounts = List.of(
                OciMount.bind("/srv/www", "/var/www", true, "rshared", true),
                new OciMount("/dev/shm", "bind", "/proc/42/root/dev/shm", List.of("rbind", "rprivate")),
                OciMount.tmpfs("/run", ""),
                OciMount.file("/c/resolv.conf", "/etc/resolv.conf", false),
                OciMount.bind("/srv/www/static", "/var/www/static", false, "rprivate", true));
        ObjectNode spec = OciSpecBuilder.build(inputs(rootfs, "{'Image':'busybox','HostConfig':{'ReadonlyRootfs':true,"
                + "'IpcMode':'container:db'}}", mounts, new NamespacePaths(null, null, "/proc/self/ns/ipc")));
        List<String> destinations = spec.get("mounts").findValuesAsText("destination");
        assertEquals(List.of("/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue", "/run", "/var/www",
                "/dev/shm", "/etc/resolv.conf", "/var/www/static"), destinations, "defaults, then parents before children");
        assertEquals(List.of("rw", "nosuid", "noexec", "nodev"), strings(mount(spec, "/dev/mqueue").get("options")),
                "/dev/mqueue stays writable with a read-only root");
        assertEquals(List.of("ro", "nosuid", "noexec", "nodev"), strings(mount(spec, "/sys").get("options")));
        assertEquals(List.of("noexec", "nosuid", "nodev", "rprivate"), strings(mount(spec, "/run").get("options")),
                "a container mount is left as the daemon made it");
        assertTrue(spec.get("root").get("readonly").asBoolean());
        assertEquals("shared", spec.get("linux").get("rootfsPropagation").asText());
        assertEquals("/proc/self/ns/ipc", spec.get("linux").get("namespaces").get(4).get("path").asText());

        ObjectNode devMounted = OciSpecBuilder.build(inputs(rootfs, "{'Image':'busybox'}",
                List.of(OciMount.bind("/dev", "/dev", false, "rprivate", true)), NamespacePaths.NONE));
        assertEquals(List.of("/proc", "/sys", "/sys/fs/cgroup", "/dev"),
                devMounted.get("mounts").findValuesAsText("destination"), "mounting /dev drops the defaults below it");
        assertEquals("Duplicate mount point: /x", assertThrows(IllegalArgumentException.class, () -> OciSpecBuilder.build(
                inputs(rootfs, "{'Image':'busybox'}", List.of(OciMount.tmpfs("/x", ""), OciMount.tmpfs("/x/", "")),
                        NamespacePaths.NONE))).getMessage());
    }

    @Test
    void namespaceModes() {
        ObjectNode spec = OciSpecBuilder.build(inputs(rootfs, "{'Image':'busybox','HostConfig':{'NetworkMode':'host',"
                + "'PidMode':'host','IpcMode':'host','UTSMode':'host','CgroupnsMode':'private'}}", List.of(), NamespacePaths.NONE));
        assertEquals(List.of("mount", "cgroup"), spec.get("linux").get("namespaces").findValuesAsText("type"));
        assertNull(spec.get("hostname"));
        assertEquals("/dev/shm", mount(spec, "/dev/shm").get("source").asText(), "--ipc host shares the host's /dev/shm");
        assertEquals(0, spec.get("linux").get("sysctl").size(), "no network sysctls on the host's network");

        ObjectNode joined = OciSpecBuilder.build(inputs(rootfs, "{'Image':'busybox','Domainname':'example.org',"
                + "'HostConfig':{'IpcMode':'none','Sysctls':{'net.core.somaxconn':'1024','kernel.shmmax':'1'}}}", List.of(),
                new NamespacePaths("/var/run/netns/c1", null, null)));
        assertEquals("/var/run/netns/c1", joined.get("linux").get("namespaces").get(1).get("path").asText());
        assertEquals("example.org", joined.get("domainname").asText());
        assertNull(mount(joined, "/dev/shm"), "--ipc none has no /dev/shm");
        assertEquals("{\"kernel.shmmax\":\"1\"}", joined.get("linux").get("sysctl").toString(),
                "net.* sysctls are the daemon's to set in a namespace it made");
        assertEquals(Map.of("net.ipv4.ping_group_range", "0 2147483647", "net.ipv4.ip_unprivileged_port_start", "0",
                "net.core.somaxconn", "1024"), OciSpecBuilder.networkSysctls(request("{'Image':'busybox','HostConfig':"
                + "{'Sysctls':{'net.core.somaxconn':'1024','kernel.shmmax':'1'}}}")));
        assertEquals("cannot join the pid namespace of container db: the daemon gave no namespace path",
                assertThrows(IllegalArgumentException.class, () -> build("{'Image':'busybox','HostConfig':"
                        + "{'PidMode':'container:db'}}")).getMessage());
    }

    @Test
    void maskedAndReadonlyPathsCanBeSetExplicitly() {
        JsonNode linux = build("{'Image':'busybox','HostConfig':{'MaskedPaths':[],'ReadonlyPaths':['/proc/sys']}}").get("linux");
        assertEquals(0, linux.get("maskedPaths").size());
        assertEquals(List.of("/proc/sys"), strings(linux.get("readonlyPaths")));
    }
}
