package berth.runtime.spec;

import berth.runtime.json.InvalidSpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static berth.runtime.TestSpecs.json;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SpecValidatorTest {
    @TempDir
    Path rootfs;

    private String rejected(String linuxAndMore) {
        Spec spec = SpecParser.parse(json("{'ociVersion':'1.2.0','root':{'path':'r'},'process':{'args':['x'],'cwd':'/'}," + linuxAndMore + "}"));
        return assertThrows(InvalidSpecException.class, () -> SpecValidator.validate(spec, rootfs)).getMessage();
    }

    @Test
    void hostnameNeedsUtsNamespace() {
        assertEquals("hostname: setting a hostname needs a new uts namespace",
                rejected("'hostname':'h','linux':{'namespaces':[{'type':'mount'}]}"));
    }

    @Test
    void userNamespaceAndMappingsGoTogether() {
        assertEquals("linux.uidMappings: a new user namespace needs uidMappings and gidMappings",
                rejected("'linux':{'namespaces':[{'type':'mount'},{'type':'user'}]}"));
        assertEquals("linux.uidMappings: id mappings need a user namespace",
                rejected("'linux':{'namespaces':[{'type':'mount'}],'uidMappings':[{'containerID':0,'hostID':1000,'size':1}]}"));
    }

    @Test
    void sysctlsMustBelongToANewNamespace() {
        assertEquals("linux.sysctl: net.ipv4.ip_forward needs a new network namespace",
                rejected("'linux':{'namespaces':[{'type':'mount'}],'sysctl':{'net.ipv4.ip_forward':'1'}}"));
        assertEquals("linux.sysctl: vm.swappiness is not namespaced and cannot be set for a container",
                rejected("'linux':{'namespaces':[{'type':'mount'},{'type':'network'}],'sysctl':{'vm.swappiness':'1'}}"));
        assertEquals("linux.sysctl: kernel.shmmax needs a new ipc namespace",
                rejected("'linux':{'namespaces':[{'type':'mount'}],'sysctl':{'kernel.shmmax':'1'}}"));
    }

    @Test
    void duplicateAndMissingNamespaces() {
        assertEquals("linux.namespaces: \"pid\" is listed twice",
                rejected("'linux':{'namespaces':[{'type':'pid'},{'type':'pid'}]}"));
        assertEquals("linux.namespaces: network namespace path /proc/999999999/ns/net does not exist",
                rejected("'linux':{'namespaces':[{'type':'network','path':'/proc/999999999/ns/net'}]}"));
    }

    @Test
    void relativeMountDestinationIsRejected() {
        assertEquals("mounts: destination \"proc\" must be an absolute path",
                rejected("'mounts':[{'destination':'proc','type':'proc'}]"));
    }

    @Test
    void rootfsMustExist() {
        Spec spec = SpecParser.parse(json("{'ociVersion':'1.2.0','root':{'path':'r'},'process':{'args':['x'],'cwd':'/'}}"));
        assertEquals("root.path: " + rootfs.resolve("missing") + " is not a directory",
                assertThrows(InvalidSpecException.class, () -> SpecValidator.validate(spec, rootfs.resolve("missing"))).getMessage());
        assertDoesNotThrow(() -> SpecValidator.validate(spec, rootfs));
    }
}
