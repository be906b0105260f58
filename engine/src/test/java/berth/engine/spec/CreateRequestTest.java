package berth.engine.spec;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static berth.engine.spec.Fixtures.rejected;
import static berth.engine.spec.Fixtures.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CreateRequestTest {

    @Test
    void dockerJavaNullsUnknownFieldsAndOddCaseAreNormalised() {
        CreateRequest r = request("{'Image':'redis:7','Cmd':null,'Entrypoint':null,'Env':['A=1'],'Hostname':null,"
                + "'ExposedPorts':{'6379/tcp':{}},'SomethingNew':42,'tty':true,'labels':{'a':'b'},"
                + "'HostConfig':{'Memory':null,'PortBindings':{'6379/tcp':[{'HostIp':'','HostPort':''}]},'Binds':null,"
                + "'privileged':false,'RestartPolicy':null,'LogConfig':{'Type':null,'Config':null},'Unknown':{}},"
                + "'NetworkingConfig':null}");
        assertEquals("redis:7", r.image());
        assertNull(r.cmd());
        assertNull(r.entrypoint());
        assertTrue(r.tty());
        assertEquals(Map.of("a", "b"), r.labels());
        assertFalse(r.config().has("SomethingNew"));
        assertFalse(r.config().has("Cmd"));
        assertTrue(r.config().has("Labels"), "lower-case keys come out in Docker's spelling");
        assertFalse(r.hostConfig().has("Unknown"));
        assertEquals(Map.of("6379/tcp", List.of(new HostSettings.PortBinding("", ""))), r.host().portBindings());
        assertEquals(Set.of("6379/tcp"), r.exposedPorts());
        assertEquals("json-file", r.host().logConfig().type());
        assertEquals(0, r.host().resources().memory());
    }

    @Test
    void cliDefaultsMeanTheSameAsMissingFields() {
        CreateRequest r = request("{'Hostname':'','Domainname':'','User':'','AttachStdin':false,'AttachStdout':true,"
                + "'AttachStderr':true,'Tty':false,'OpenStdin':false,'StdinOnce':false,'Env':[],'Cmd':['echo','hi'],"
                + "'Image':'busybox','Volumes':{},'WorkingDir':'','Entrypoint':null,'OnBuild':null,'Labels':{},"
                + "'HostConfig':{'Binds':null,'ContainerIDFile':'','LogConfig':{'Type':'','Config':{}},"
                + "'NetworkMode':'default','PortBindings':{},'RestartPolicy':{'Name':'no','MaximumRetryCount':0},"
                + "'AutoRemove':false,'VolumeDriver':'','VolumesFrom':null,'ConsoleSize':[24,80],'CapAdd':null,"
                + "'CapDrop':null,'CgroupnsMode':'','Dns':[],'DnsOptions':[],'DnsSearch':[],'ExtraHosts':null,"
                + "'GroupAdd':null,'IpcMode':'','Cgroup':'','Links':null,'OomScoreAdj':0,'PidMode':'',"
                + "'Privileged':false,'PublishAllPorts':false,'ReadonlyRootfs':false,'SecurityOpt':null,'UTSMode':'',"
                + "'UsernsMode':'','ShmSize':0,'Isolation':'','CpuShares':0,'Memory':0,'NanoCpus':0,'CgroupParent':'',"
                + "'BlkioWeight':0,'BlkioWeightDevice':[],'CpuPeriod':0,'CpuQuota':0,'CpuRealtimePeriod':0,"
                + "'CpuRealtimeRuntime':0,'CpusetCpus':'','CpusetMems':'','Devices':[],'DeviceCgroupRules':null,"
                + "'DeviceRequests':null,'MemoryReservation':0,'MemorySwap':0,'MemorySwappiness':null,"
                + "'OomKillDisable':null,'PidsLimit':null,'Ulimits':null,'CpuCount':0,'CpuPercent':0,"
                + "'IOMaximumIOps':0,'IOMaximumBandwidth':0,'MaskedPaths':null,'ReadonlyPaths':null},"
                + "'NetworkingConfig':{'EndpointsConfig':{'default':{}}}}");
        assertEquals(List.of("echo", "hi"), r.cmd());
        HostSettings h = r.host();
        assertEquals("bridge", h.networkMode());
        assertEquals("private", h.ipcMode());
        assertEquals("host", h.cgroupnsMode(), "cgroup v1 host");
        assertEquals(64L * 1024 * 1024, h.shmSize());
        assertEquals(new HostSettings.RestartPolicy("no", 0), h.restartPolicy());
        assertEquals("json-file", h.logConfig().type());
        assertEquals(false, h.resources().oomKillDisable());
        assertNull(h.resources().pidsLimit());
        assertNull(h.maskedPaths());
        assertEquals(List.of(24L, 80L), h.consoleSize());
        assertEquals(Set.of("default"), r.endpoints().keySet());
    }

    @Test
    void dockerPyOmitsFieldsAndMaySendAStringCommand() {
        CreateRequest r = request("{'Image':'alpine','Cmd':'sleep 5','Entrypoint':'/bin/sh'}");
        assertEquals(List.of("sleep 5"), r.cmd());
        assertEquals(List.of("/bin/sh"), r.entrypoint());
        assertEquals("bridge", r.host().networkMode());
        assertEquals(new HostSettings.RestartPolicy("no", 0), r.host().restartPolicy());
        assertEquals(List.of(), r.env());
    }

    @Test
    void hostDefaultsFollowDockerd() {
        CreateRequest r = request("{'Image':'a','HostConfig':{'Memory':67108864,'MemorySwappiness':-1,"
                + "'RestartPolicy':{'Name':'','MaximumRetryCount':3}}}");
        assertEquals(2 * 67108864L, r.host().resources().memorySwap());
        assertNull(r.host().resources().memorySwappiness());
        assertEquals(new HostSettings.RestartPolicy("no", 0), r.host().restartPolicy());
        CreateRequest v2 = CreateRequest.parse(Fixtures.json("{'Image':'a'}"),
                new HostInfo(2, true, 40, null, Fixtures.DEVICES));
        assertEquals("private", v2.host().cgroupnsMode());
    }

    @Test
    void portKeysGetTheirProtocol() {
        CreateRequest r = request("{'Image':'a','ExposedPorts':{'80':{},'53/UDP':{}},"
                + "'HostConfig':{'PortBindings':{'80':[{'HostPort':'8080'}],'443/tcp':null}}}");
        assertEquals(Set.of("80/tcp", "53/udp"), r.exposedPorts());
        assertEquals(List.of(new HostSettings.PortBinding("", "8080")), r.host().portBindings().get("80/tcp"));
        assertEquals(List.of(), r.host().portBindings().get("443/tcp"));
    }

    @Test
    void typedAccessorsReadHostConfig() {
        CreateRequest r = request("{'Image':'a','StopSignal':'SIGUSR1','StopTimeout':30,"
                + "'HostConfig':{'Links':['/db:/app/database','cache'],'Ulimits':[{'Name':'nofile','Soft':1024,'Hard':2048}],"
                + "'LogConfig':{'Type':'json-file','Config':{'max-size':'10m','max-file':'3'}},"
                + "'Devices':[{'PathOnHost':'/dev/fuse','PathInContainer':'/dev/fuse','CgroupPermissions':'rwm'}],"
                + "'Tmpfs':{'/run':'rw,noexec,nosuid,size=65536k'},'GroupAdd':['audio'],'Init':true,"
                + "'CapAdd':'NET_ADMIN','Sysctls':{'net.ipv4.ip_forward':'1'}}}");
        HostSettings h = r.host();
        assertEquals("SIGUSR1", r.stopSignal());
        assertEquals(30L, r.stopTimeout());
        assertEquals(List.of(new HostSettings.Link("db", "database"), new HostSettings.Link("cache", "cache")), h.links());
        assertEquals(List.of(new HostSettings.Ulimit("nofile", 1024, 2048)), h.ulimits());
        assertEquals(10_000_000L, h.logConfig().maxSize());
        assertEquals(3, h.logConfig().maxFile());
        assertEquals(List.of(new HostSettings.DeviceMapping("/dev/fuse", "/dev/fuse", "rwm")), h.devices());
        assertEquals(Map.of("/run", "rw,noexec,nosuid,size=65536k"), h.tmpfs());
        assertTrue(h.init());
        assertEquals(List.of("NET_ADMIN"), h.capAdd());
        assertEquals(Map.of("net.ipv4.ip_forward", "1"), h.sysctls());
    }

    @Test
    void wrongJsonTypesGetGosMessage() {
        assertEquals("json: cannot unmarshal string into Go struct field HostConfig.Memory of type int64",
                rejected("{'Image':'a','HostConfig':{'Memory':'1g'}}"));
        assertEquals("json: cannot unmarshal number into Go struct field Config.Cmd of type strslice.StrSlice",
                rejected("{'Image':'a','Cmd':5}"));
        assertEquals("json: cannot unmarshal number 1.5 into Go struct field HostConfig.NanoCpus of type int64",
                rejected("{'Image':'a','HostConfig':{'NanoCpus':1.5}}"));
        assertEquals("json: cannot unmarshal string into Go struct field RestartPolicy.MaximumRetryCount of type int64",
                rejected("{'Image':'a','HostConfig':{'RestartPolicy':{'Name':'always','MaximumRetryCount':'2'}}}"));
    }

    @Test
    void restartPolicyAndAutoRemoveAreCheckedAsDockerd() {
        assertEquals("maximum retry count cannot be used with restart policy 'always'",
                rejected("{'Image':'a','HostConfig':{'RestartPolicy':{'Name':'always','MaximumRetryCount':2}}}"));
        assertEquals("maximum retry count cannot be negative",
                rejected("{'Image':'a','HostConfig':{'RestartPolicy':{'Name':'on-failure','MaximumRetryCount':-2}}}"));
        assertEquals("invalid restart policy 'sometimes'",
                rejected("{'Image':'a','HostConfig':{'RestartPolicy':{'Name':'sometimes'}}}"));
        assertEquals("Conflicting options: --restart and --rm",
                rejected("{'Image':'a','HostConfig':{'AutoRemove':true,'RestartPolicy':{'Name':'unless-stopped'}}}"));
        assertEquals(new HostSettings.RestartPolicy("on-failure", 5), request("{'Image':'a','HostConfig':"
                + "{'RestartPolicy':{'Name':'on-failure','MaximumRetryCount':5}}}").host().restartPolicy());
        assertTrue(request("{'Image':'a','HostConfig':{'AutoRemove':true,'RestartPolicy':{'Name':'no'}}}").host().autoRemove());
    }

    @Test
    void configChecks() {
        assertEquals("invalid reference format", rejected("{'Image':'a b'}"));
        assertEquals("invalid reference format", rejected("{'Cmd':['x']}"));
        assertEquals("invalid reference format: repository name must be lowercase", rejected("{'Image':'BusyBox'}"));
        assertEquals("the working directory 'tmp' is invalid, it needs to be an absolute path",
                rejected("{'Image':'a','WorkingDir':'tmp'}"));
        assertEquals("Invalid signal: SIGWHAT", rejected("{'Image':'a','StopSignal':'SIGWHAT'}"));
        assertEquals("invalid environment variable: =x", rejected("{'Image':'a','Env':['=x']}"));
        assertEquals("sha256:0123", request("{'Image':'sha256:0123'}").image());
    }

    @Test
    void resourceChecksUseDockersWording() {
        assertEquals("Minimum memory limit allowed is 6MB", rejected("{'Image':'a','HostConfig':{'Memory':1048576}}"));
        assertEquals("Minimum memoryswap limit should be larger than memory limit, see usage",
                rejected("{'Image':'a','HostConfig':{'Memory':67108864,'MemorySwap':33554432}}"));
        assertEquals("You should always set the Memory limit when using Memoryswap limit, see usage",
                rejected("{'Image':'a','HostConfig':{'MemorySwap':67108864}}"));
        assertEquals("Minimum memory limit can not be less than memory reservation limit, see usage",
                rejected("{'Image':'a','HostConfig':{'Memory':67108864,'MemoryReservation':134217728}}"));
        assertEquals("Minimum memory reservation allowed is 6MB",
                rejected("{'Image':'a','HostConfig':{'MemoryReservation':1000}}"));
        assertEquals("Invalid value: 101, valid memory swappiness range is 0-100",
                rejected("{'Image':'a','HostConfig':{'MemorySwappiness':101}}"));
        assertEquals("Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available",
                rejected("{'Image':'a','HostConfig':{'NanoCpus':3000000000}}"));
        assertEquals("Conflicting options: Nano CPUs and CPU Period cannot both be set",
                rejected("{'Image':'a','HostConfig':{'NanoCpus':1000000000,'CpuPeriod':50000}}"));
        assertEquals("Conflicting options: Nano CPUs and CPU Quota cannot both be set",
                rejected("{'Image':'a','HostConfig':{'NanoCpus':1000000000,'CpuQuota':50000}}"));
        assertEquals("CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)",
                rejected("{'Image':'a','HostConfig':{'CpuPeriod':10}}"));
        assertEquals("CPU cfs quota can not be less than 1ms (i.e. 1000)",
                rejected("{'Image':'a','HostConfig':{'CpuQuota':10}}"));
        assertEquals("Requested CPUs are not available - requested 0-3, available: 0-1",
                rejected("{'Image':'a','HostConfig':{'CpusetCpus':'0-3'}}"));
        assertEquals("Invalid value 1-x for cpuset cpus: invalid format: 1-x",
                rejected("{'Image':'a','HostConfig':{'CpusetCpus':'1-x'}}"));
        assertEquals("Range of blkio weight is from 10 to 1000", rejected("{'Image':'a','HostConfig':{'BlkioWeight':5}}"));
        assertEquals("Invalid value 1001, range for oom score adj is [-1000, 1000]",
                rejected("{'Image':'a','HostConfig':{'OomScoreAdj':1001}}"));
        assertEquals("SHM size can not be less than 0", rejected("{'Image':'a','HostConfig':{'ShmSize':-1}}"));
        request("{'Image':'a','HostConfig':{'Memory':6291456,'NanoCpus':1500000000,'CpusetCpus':'0,1','PidsLimit':100}}");
    }

    @Test
    void namespaceModesAndNetworkConflicts() {
        assertEquals("invalid IPC mode: container:", rejected("{'Image':'a','HostConfig':{'IpcMode':'container:'}}"));
        assertEquals("invalid IPC mode: bogus", rejected("{'Image':'a','HostConfig':{'IpcMode':'bogus'}}"));
        assertEquals("invalid PID mode: private", rejected("{'Image':'a','HostConfig':{'PidMode':'private'}}"));
        assertEquals("invalid UTS mode: container:x", rejected("{'Image':'a','HostConfig':{'UTSMode':'container:x'}}"));
        assertEquals("invalid cgroup namespace mode: shared",
                rejected("{'Image':'a','HostConfig':{'CgroupnsMode':'shared'}}"));
        assertEquals("Invalid network mode: invalid container format container:<name|id>",
                rejected("{'Image':'a','HostConfig':{'NetworkMode':'container:'}}"));
        assertEquals("conflicting options: hostname and the network mode",
                rejected("{'Image':'a','Hostname':'h','HostConfig':{'NetworkMode':'container:db'}}"));
        assertEquals("conflicting options: port publishing and the container type network mode",
                rejected("{'Image':'a','HostConfig':{'NetworkMode':'container:db','PublishAllPorts':true}}"));
        assertEquals("conflicting options: dns and the network mode",
                rejected("{'Image':'a','HostConfig':{'NetworkMode':'container:db','Dns':['1.1.1.1']}}"));
        assertEquals("conflicting options: host type networking can't be used with links. This would result in undefined behavior",
                rejected("{'Image':'a','HostConfig':{'NetworkMode':'host','Links':['db:db']}}"));
        assertEquals("conflicting options: hostname and the UTS mode",
                rejected("{'Image':'a','Hostname':'h','HostConfig':{'UTSMode':'host'}}"));
        assertEquals("container:db", request("{'Image':'a','HostConfig':{'NetworkMode':'container:db',"
                + "'PidMode':'container:db','IpcMode':'container:db'}}").host().networkMode());
    }

    @Test
    void hostConfigListsAreValidated() {
        assertEquals("bad format for add-host: \"nocolon\"", rejected("{'Image':'a','HostConfig':{'ExtraHosts':['nocolon']}}"));
        assertEquals("invalid IP address in add-host: \"1.2.3\"",
                rejected("{'Image':'a','HostConfig':{'ExtraHosts':['h:1.2.3']}}"));
        request("{'Image':'a','HostConfig':{'ExtraHosts':['h:1.2.3.4','g:host-gateway','v6:::1','w=[fe80::1]']}}");
        assertEquals("invalid port specification: \"99999\"",
                rejected("{'Image':'a','HostConfig':{'PortBindings':{'99999/tcp':[]}}}"));
        assertEquals("invalid port specification: \"80a\"",
                rejected("{'Image':'a','HostConfig':{'PortBindings':{'80/tcp':[{'HostPort':'80a'}]}}}"));
        request("{'Image':'a','HostConfig':{'PortBindings':{'80/tcp':[{'HostPort':'8000-8010'}]}}}");
        assertEquals("invalid CapAdd: unknown capability: \"CAP_FLY\"",
                rejected("{'Image':'a','HostConfig':{'CapAdd':['fly']}}"));
        assertEquals("invalid CapDrop: unknown capability: \"CAP_NOPE\"",
                rejected("{'Image':'a','HostConfig':{'CapDrop':['CAP_NOPE']}}"));
        assertEquals("invalid ulimit type: files",
                rejected("{'Image':'a','HostConfig':{'Ulimits':[{'Name':'files','Soft':1,'Hard':1}]}}"));
        assertEquals("ulimit soft limit must be less than or equal to hard limit: 10 > 5",
                rejected("{'Image':'a','HostConfig':{'Ulimits':[{'Name':'nofile','Soft':10,'Hard':5}]}}"));
        assertEquals("IP address is not correctly formatted: dns.google", rejected("{'Image':'a','HostConfig':{'Dns':['dns.google']}}"));
        assertEquals("bad format for links: a:b:c", rejected("{'Image':'a','HostConfig':{'Links':['a:b:c']}}"));
        assertEquals("invalid device cgroup rule format: 'c 1:3'",
                rejected("{'Image':'a','HostConfig':{'DeviceCgroupRules':['c 1:3']}}"));
        assertEquals("invalid device mode: rwx", rejected("{'Image':'a','HostConfig':{'Devices':[{'PathOnHost':'/dev/fuse',"
                + "'PathInContainer':'/dev/fuse','CgroupPermissions':'rwx'}]}}"));
        assertEquals("Invalid isolation: \"hyperv\" - linux only supports 'default'",
                rejected("{'Image':'a','HostConfig':{'Isolation':'hyperv'}}"));
    }

    @Test
    void securityOptionsSysctlsAndLogOptions() {
        assertEquals("invalid --security-opt 1: \"nonsense\"",
                rejected("{'Image':'a','HostConfig':{'SecurityOpt':['nonsense']}}"));
        assertEquals("invalid --security-opt 2: \"no-new-privileges=maybe\"",
                rejected("{'Image':'a','HostConfig':{'SecurityOpt':['no-new-privileges=maybe']}}"));
        assertEquals("invalid --security-opt 2: \"selinux=x\"",
                rejected("{'Image':'a','HostConfig':{'SecurityOpt':['selinux=x']}}"));
        assertEquals("sysctl \"net.ipv4.ip_forward\" not allowed in host network namespace",
                rejected("{'Image':'a','HostConfig':{'NetworkMode':'host','Sysctls':{'net.ipv4.ip_forward':'1'}}}"));
        assertEquals("sysctl \"kernel.shmmax\" is not allowed in the hosts ipc namespace",
                rejected("{'Image':'a','HostConfig':{'IpcMode':'host','Sysctls':{'kernel.shmmax':'1'}}}"));
        assertEquals("sysctl \"vm.swappiness\" is not in a separate kernel namespace",
                rejected("{'Image':'a','HostConfig':{'Sysctls':{'vm.swappiness':'1'}}}"));
        assertEquals("logger: no log driver named 'syslog' is registered",
                rejected("{'Image':'a','HostConfig':{'LogConfig':{'Type':'syslog'}}}"));
        assertEquals("unknown log opt 'max-age' for json-file log driver",
                rejected("{'Image':'a','HostConfig':{'LogConfig':{'Type':'json-file','Config':{'max-age':'1'}}}}"));
        assertEquals("max-file cannot be less than 1",
                rejected("{'Image':'a','HostConfig':{'LogConfig':{'Type':'json-file','Config':{'max-file':'0'}}}}"));
        assertEquals("invalid size: '10q'",
                rejected("{'Image':'a','HostConfig':{'LogConfig':{'Config':{'max-size':'10q'}}}}"));
    }

    @Test
    void mountErrorsSurfaceAtCreate() {
        assertEquals("Duplicate mount point: /data",
                rejected("{'Image':'a','HostConfig':{'Binds':['/tmp:/data','vol:/data']}}"));
    }
}
