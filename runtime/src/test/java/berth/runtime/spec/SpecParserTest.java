package berth.runtime.spec;

import berth.runtime.json.InvalidSpecException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static berth.runtime.TestSpecs.json;
import static berth.runtime.TestSpecs.minimal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpecParserTest {

    private static String rejected(Map<String, Object> json) {
        return assertThrows(InvalidSpecException.class, () -> SpecParser.parse(json)).getMessage();
    }

    @Test
    void readsRuncsDefaultSpec() throws Exception {
        try (var in = SpecParserTest.class.getResourceAsStream("/berth/runtime/default-spec.json")) {
            Spec spec = SpecParser.parse(berth.runtime.Json.parse(in.readAllBytes(), "default"));
            assertEquals(List.of("sh"), spec.process().args());
            assertTrue(spec.process().terminal());
            assertTrue(spec.process().noNewPrivileges());
            assertEquals(List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"), spec.process().capabilities().bounding());
            assertEquals(new Spec.Rlimit("RLIMIT_NOFILE", 1024, 1024), spec.process().rlimits().getFirst());
            assertEquals(7, spec.mounts().size());
            assertTrue(spec.linux().createsNamespace("network"));
            assertFalse(spec.linux().createsNamespace("user"));
            assertTrue(spec.linux().maskedPaths().contains("/proc/kcore"));
            assertTrue(spec.root().readonly());
        }
    }

    @Test
    void namespacesWithAPathAreJoinedNotCreated() {
        Spec spec = SpecParser.parse(json("{'ociVersion':'1.0.2','root':{'path':'r'},'process':{'args':['x'],'cwd':'/'},"
                + "'linux':{'namespaces':[{'type':'network','path':'/proc/1/ns/net'},{'type':'mount'}]}}"));
        assertFalse(spec.linux().createsNamespace("network"));
        assertEquals("/proc/1/ns/net", spec.linux().namespace("network").orElseThrow().path());
        assertTrue(spec.linux().createsNamespace("mount"));
    }

    @Test
    void unsignedRlimitInfinityIsRead() {
        Spec spec = SpecParser.parse(json("{'ociVersion':'1.2.0','root':{'path':'r'},'process':{'args':['x'],'cwd':'/',"
                + "'rlimits':[{'type':'RLIMIT_CORE','soft':18446744073709551615,'hard':18446744073709551615}]}}"));
        assertEquals(-1L, spec.process().rlimits().getFirst().soft()); // RLIM_INFINITY as unsigned 64-bit
    }

    @Test
    void errorsNameTheField() {
        assertEquals("process.args: must name the program to run",
                rejected(json("{'ociVersion':'1.2.0','root':{'path':'r'},'process':{'args':[],'cwd':'/'}}")));
        assertEquals("process.cwd: must be an absolute path, got \"tmp\"",
                rejected(json("{'ociVersion':'1.2.0','root':{'path':'r'},'process':{'args':['x'],'cwd':'tmp'}}")));
        assertEquals("process.user.uid: must be an integer, got string",
                rejected(json("{'ociVersion':'1.2.0','root':{'path':'r'},'process':{'args':['x'],'cwd':'/','user':{'uid':'root'}}}")));
        assertEquals("process.capabilities.bounding[1]: unknown capability \"CAP_FLY\"",
                rejected(json("{'ociVersion':'1.2.0','root':{'path':'r'},'process':{'args':['x'],'cwd':'/',"
                        + "'capabilities':{'bounding':['CAP_KILL','CAP_FLY']}}}")));
        assertEquals("process.rlimits[0].type: unknown rlimit \"RLIMIT_FOO\"",
                rejected(json("{'ociVersion':'1.2.0','root':{'path':'r'},'process':{'args':['x'],'cwd':'/',"
                        + "'rlimits':[{'type':'RLIMIT_FOO','soft':1,'hard':1}]}}")));
        assertEquals("linux.namespaces[0].type: unknown namespace type \"pidd\"",
                rejected(minimalWithNamespaces("[{'type':'pidd'}]")));
        assertEquals("root: is required", rejected(json("{'ociVersion':'1.2.0'}")));
        assertEquals("ociVersion: unsupported version \"2.0.0\" (berth runs 1.x)",
                rejected(json("{'ociVersion':'2.0.0','root':{'path':'r'}}")));
        assertEquals("hooks.prestart[0].path: must be absolute, got \"hook\"",
                rejected(minimal("'hooks':{'prestart':[{'path':'hook'}]}")));
        assertEquals("linux.uidMappings[0].size: must be greater than zero",
                rejected(json("{'ociVersion':'1.2.0','root':{'path':'r'},'linux':{'uidMappings':[{'containerID':0,'hostID':1,'size':0}]}}")));
    }

    @Test
    void seccompErrorsBecomeSpecErrors() {
        String msg = rejected(json("{'ociVersion':'1.2.0','root':{'path':'r'},'linux':{'seccomp':{'defaultAction':'SCMP_ACT_NOPE'}}}"));
        assertTrue(msg.startsWith("linux.seccomp.defaultAction"), msg);
    }

    @Test
    void processWithoutCapabilitiesLeavesThemAlone() {
        Spec spec = SpecParser.parse(minimal(""));
        assertNull(spec.process().capabilities());
        assertEquals(0, spec.process().user().uid());
        assertEquals(List.of(), spec.hooks().prestart());
    }

    private static Map<String, Object> minimalWithNamespaces(String ns) {
        return json("{'ociVersion':'1.2.0','root':{'path':'r'},'process':{'args':['x'],'cwd':'/'},'linux':{'namespaces':" + ns + "}}");
    }
}
