package berth.engine.spec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static berth.engine.spec.Fixtures.rejected;
import static berth.engine.spec.Fixtures.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MountsTest {
    private static final MountRequest.Type BIND = MountRequest.Type.BIND, VOLUME = MountRequest.Type.VOLUME,
            TMPFS = MountRequest.Type.TMPFS;

    private static List<MountRequest> mounts(String hostConfig) {
        return Mounts.parse(request("{'Image':'a','HostConfig':" + hostConfig + "}"), List.of());
    }

    private static MountRequest only(String hostConfig) {
        List<MountRequest> all = mounts(hostConfig);
        assertEquals(1, all.size(), all.toString());
        return all.getFirst();
    }

    @Test
    void bindStrings() {
        assertEquals(new MountRequest(BIND, "/srv/data", "/data", false, "rprivate", true, false, true, "", Map.of(), ""),
                only("{'Binds':['/srv/data/:/data']}"));
        assertEquals(new MountRequest(BIND, "/srv", "/data", true, "rshared", true, false, true, "", Map.of(), "ro,rshared,z"),
                only("{'Binds':['/srv:/data:ro,rshared,z']}"));
        assertEquals(new MountRequest(VOLUME, "cache", "/var/cache", false, "", true, true, false, "", Map.of(), "nocopy"),
                only("{'Binds':['cache:/var/cache:nocopy']}"));
        MountRequest anonymous = only("{'Binds':['/scratch']}");
        assertTrue(anonymous.anonymous());
        assertEquals("/scratch", anonymous.target());
    }

    @Test
    void badBindStringsGetDockersMessages() {
        assertEquals("invalid volume specification: '/data:rw'", rejected("{'Image':'a','HostConfig':{'Binds':['/data:rw']}}"));
        assertEquals("invalid volume specification: ':/data'", rejected("{'Image':'a','HostConfig':{'Binds':[':/data']}}"));
        assertEquals("invalid volume specification: '/a:/b:ro:x'", rejected("{'Image':'a','HostConfig':{'Binds':['/a:/b:ro:x']}}"));
        assertEquals("invalid mode: rx", rejected("{'Image':'a','HostConfig':{'Binds':['/a:/b:rx']}}"));
        assertEquals("invalid mode: ro,rw", rejected("{'Image':'a','HostConfig':{'Binds':['/a:/b:ro,rw']}}"));
        assertEquals("invalid volume specification: '/a:relative': invalid mount config for type \"bind\": "
                + "invalid mount path: 'relative' mount path must be absolute",
                rejected("{'Image':'a','HostConfig':{'Binds':['/a:relative']}}"));
        assertEquals("invalid volume specification: '/a:/': invalid mount config for type \"bind\": "
                + "invalid specification: destination can't be '/'", rejected("{'Image':'a','HostConfig':{'Binds':['/a:/']}}"));
        assertEquals("invalid volume specification: '/a:/b:nocopy': invalid mount config for type \"bind\": "
                + "field VolumeOptions must not be specified", rejected("{'Image':'a','HostConfig':{'Binds':['/a:/b:nocopy']}}"));
        assertEquals("invalid volume specification: 'v:/b:rslave': invalid mount config for type \"volume\": "
                + "field BindOptions must not be specified", rejected("{'Image':'a','HostConfig':{'Binds':['v:/b:rslave']}}"));
        assertEquals("create ./data: \"./data\" includes invalid characters for a local volume name, only "
                + "\"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path",
                rejected("{'Image':'a','HostConfig':{'Binds':['./data:/data']}}"));
    }

    @Test
    void mountObjects(@TempDir Path dir) {
        String src = dir.toString();
        assertEquals(new MountRequest(BIND, src, "/src", true, "rslave", false, false, false, "", Map.of(), ""),
                only("{'Mounts':[{'Type':'bind','Source':'" + src + "','Target':'/src','ReadOnly':true,"
                        + "'BindOptions':{'Propagation':'rslave','NonRecursive':true}}]}"));
        assertEquals(new MountRequest(VOLUME, "pg", "/var/lib/pg", false, "", true, true, false, "", Map.of("a", "b"), ""),
                only("{'Mounts':[{'Type':'volume','Source':'pg','Target':'/var/lib/pg',"
                        + "'VolumeOptions':{'NoCopy':true,'Labels':{'a':'b'}}}]}"));
        assertEquals(new MountRequest(TMPFS, null, "/cache", true, "", true, false, false, "ro,mode=1777,size=64m,exec",
                        Map.of(), ""),
                only("{'Mounts':[{'Type':'tmpfs','Target':'/cache','ReadOnly':true,"
                        + "'TmpfsOptions':{'SizeBytes':67108864,'Mode':1023,'Options':[['exec']]}}]}"));
        assertEquals("invalid mount config for type \"bind\": bind source path does not exist: " + src + "/missing",
                rejected("{'Image':'a','HostConfig':{'Mounts':[{'Type':'bind','Source':'" + src + "/missing','Target':'/x'}]}}"));
        MountRequest created = only("{'Mounts':[{'Type':'bind','Source':'" + src + "/missing','Target':'/x',"
                + "'BindOptions':{'CreateMountpoint':true}}]}");
        assertTrue(created.createSource());
        assertEquals("invalid mount config for type \"volume\": must not set ReadOnly mode when using anonymous volumes",
                rejected("{'Image':'a','HostConfig':{'Mounts':[{'Type':'volume','Target':'/x','ReadOnly':true}]}}"));
        assertEquals("invalid mount config for type \"tmpfs\": field Source must not be specified",
                rejected("{'Image':'a','HostConfig':{'Mounts':[{'Type':'tmpfs','Source':'x','Target':'/x'}]}}"));
        assertEquals("invalid mount config for type \"bind\": field Target must not be empty",
                rejected("{'Image':'a','HostConfig':{'Mounts':[{'Type':'bind','Source':'/tmp'}]}}"));
        assertEquals("invalid mount config for type \"npipe\": mount type unknown",
                rejected("{'Image':'a','HostConfig':{'Mounts':[{'Type':'npipe','Source':'/tmp','Target':'/x'}]}}"));
        assertEquals("invalid mount config for type \"bind\": invalid propagation mode: sideways",
                rejected("{'Image':'a','HostConfig':{'Mounts':[{'Type':'bind','Source':'/tmp','Target':'/x',"
                        + "'BindOptions':{'Propagation':'sideways'}}]}}"));
        assertEquals("invalid mount config for type \"tmpfs\": invalid option: nosuid",
                rejected("{'Image':'a','HostConfig':{'Mounts':[{'Type':'tmpfs','Target':'/x','TmpfsOptions':{'Options':[['nosuid']]}}]}}"));
    }

    @Test
    void tmpfsMapAndAnonymousVolumes() {
        CreateRequest r = request("{'Image':'a','Volumes':{'/data':{},'/logs/':{}},'HostConfig':{"
                + "'Binds':['/srv/logs:/logs'],'Tmpfs':{'/run':'rw,noexec,nosuid,size=65536k'}}}");
        List<MountRequest> all = Mounts.parse(r, List.of("/data", "/cache"));
        assertEquals(List.of("/logs", "/run", "/data", "/cache"), all.stream().map(MountRequest::target).toList());
        assertEquals(new MountRequest(TMPFS, null, "/run", false, "", true, false, false, "rw,noexec,nosuid,size=65536k",
                Map.of(), ""), all.get(1));
        assertTrue(all.get(2).anonymous() && all.get(3).anonymous());
        assertEquals("invalid tmpfs option [\"bogus\"]",
                rejected("{'Image':'a','HostConfig':{'Tmpfs':{'/run':'bogus'}}}"));
        assertEquals("invalid mount path: 'run' mount path must be absolute",
                rejected("{'Image':'a','HostConfig':{'Tmpfs':{'run':''}}}"));
        assertEquals("invalid specification: destination can't be '/'", rejected("{'Image':'a','Volumes':{'/':{}}}"));
    }

    @Test
    void duplicateMountPoints() {
        assertEquals("Duplicate mount point: /data", rejected("{'Image':'a','HostConfig':{'Binds':['/a:/data','/b:/data/']}}"));
        assertEquals("Duplicate mount point: /run", rejected("{'Image':'a','HostConfig':{'Binds':['/a:/run'],'Tmpfs':{'/run':''}}}"));
        assertEquals("Duplicate mount point: /x/", rejected("{'Image':'a','HostConfig':{'Binds':['/tmp:/x'],"
                + "'Mounts':[{'Type':'volume','Source':'vol','Target':'/x/'}]}}"));
        assertEquals("create .: volume name is too short, names should be at least two alphanumeric characters",
                rejected("{'Image':'a','HostConfig':{'Binds':['.:/x']}}"));
    }

    @Test
    void requestsBecomeOciMounts() {
        List<MountRequest> all = mounts("{'Binds':['/srv:/srv:ro','vol:/v'],'Tmpfs':{'/run':'exec,size=1m'}}");
        assertEquals(new OciMount("/srv", "bind", "/srv", List.of("rbind", "ro", "rprivate")), all.get(0).toOci("/srv"));
        assertEquals(new OciMount("/v", "bind", "/var/lib/berth/volumes/vol/_data", List.of("rbind")),
                all.get(1).toOci("/var/lib/berth/volumes/vol/_data"));
        assertEquals(new OciMount("/run", "tmpfs", "tmpfs", List.of("nosuid", "nodev", "rprivate", "exec", "size=1m")),
                all.get(2).toOci(null));
        assertEquals(new OciMount("/etc/hosts", "bind", "/c/hosts", List.of("rbind", "ro", "rprivate")),
                OciMount.file("/c/hosts", "/etc/hosts", true));
    }

    @Test
    void tmpfsOptionsMergeLikeMoby() {
        assertEquals(List.of("nodev", "rprivate", "rw", "exec", "nosuid", "size=1m"),
                TmpfsOptions.merge(List.of("noexec", "nosuid", "nodev", "rprivate", "ro", "size=5m", "rw", "exec", "nosuid",
                        "size=1m", "defaults")));
        assertEquals("invalid tmpfs option [\"foo\" \"bar\"]",
                assertThrows(IllegalArgumentException.class, () -> TmpfsOptions.merge(List.of("foo=bar"))).getMessage());
    }
}
