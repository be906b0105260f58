package berth.engine.spec;

import org.junit.jupiter.api.Test;

import java.util.List;

import static berth.engine.spec.Fixtures.HOST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SmallPartsTest {
    private static final List<String> ALL = HOST.allCapabilities();

    @Test
    void capabilitiesAddDropAndAll() {
        assertEquals(Capabilities.DEFAULT, Capabilities.of(List.of(), List.of(), false, ALL));
        assertEquals(41, Capabilities.of(List.of(), List.of(), true, ALL).size());
        List<String> tweaked = Capabilities.of(List.of("net_admin"), List.of("CAP_MKNOD", "chown"), false, ALL);
        assertEquals(13, tweaked.size());
        assertEquals("CAP_NET_ADMIN", tweaked.getLast());
        assertEquals(List.of("CAP_KILL"), Capabilities.of(List.of("kill"), List.of("ALL"), false, ALL));
        List<String> allButOne = Capabilities.of(List.of("ALL"), List.of("SYS_ADMIN"), false, ALL);
        assertEquals(40, allButOne.size());
        assertEquals("unknown capability: \"CAP_BOGUS\"", assertThrows(IllegalArgumentException.class,
                () -> Capabilities.of(List.of("bogus"), List.of(), false, ALL)).getMessage());
    }

    @Test
    void signals() {
        assertEquals(15, Signals.parse("SIGTERM"));
        assertEquals(15, Signals.parse("term"));
        assertEquals(9, Signals.parse("9"));
        assertEquals(35, Signals.parse("SIGRTMIN+1"));
        assertEquals(63, Signals.parse("RTMAX-1"));
        assertEquals("Invalid signal: 0", assertThrows(IllegalArgumentException.class, () -> Signals.parse("0")).getMessage());
    }

    @Test
    void securityOptions() {
        assertEquals(new SecurityOptions(true, "unconfined"),
                SecurityOptions.parse(List.of("no-new-privileges", "seccomp=unconfined", "label=disable", "apparmor=x")));
        assertEquals(new SecurityOptions(false, null), SecurityOptions.parse(List.of("no-new-privileges:false",
                "seccomp=builtin")));
        assertEquals(new SecurityOptions(false, "{\"defaultAction\":\"SCMP_ACT_ALLOW\"}"),
                SecurityOptions.parse(List.of("seccomp={\"defaultAction\":\"SCMP_ACT_ALLOW\"}")));
    }

    @Test
    void humanSizes() {
        assertEquals(10_000_000L, Units.fromHumanSize("10m"));
        assertEquals(1_500_000_000L, Units.fromHumanSize("1.5GB"));
        assertEquals(512, Units.fromHumanSize("512"));
        assertEquals("invalid size: '1.2.3k'", assertThrows(IllegalArgumentException.class,
                () -> Units.fromHumanSize("1.2.3k")).getMessage());
    }
}
