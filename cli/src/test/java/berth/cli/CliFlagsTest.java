package berth.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliFlagsTest {
    private final CliFlags flags = new CliFlags()
            .bool("all", 'a', "")
            .bool("quiet", 'q', "")
            .value("output", 'o', "")
            .value("change", 'c', "");

    @Test
    void dockerGrammar() {
        CliFlags.Parsed p = flags.parse(List.of("-aq", "img1", "--output=x.tar", "-c", "CMD a", "-cENV b=1", "img2"));
        assertTrue(p.is("all"));
        assertTrue(p.is("quiet"));
        assertEquals("x.tar", p.get("output"));
        assertEquals(List.of("CMD a", "ENV b=1"), p.all("change"));
        assertEquals(List.of("img1", "img2"), p.args());
    }

    @Test
    void doubleDashEndsFlags() {
        CliFlags.Parsed p = flags.parse(List.of("-a", "--", "-q"));
        assertEquals(List.of("-q"), p.args());
    }

    @Test
    void stopAtFirstArgumentKeepsTheRestVerbatim() {
        CliFlags run = new CliFlags().bool("rm", '\0', "").stopAtFirstArgument();
        CliFlags.Parsed p = run.parse(List.of("--rm", "busybox", "ls", "-l"));
        assertEquals(List.of("busybox", "ls", "-l"), p.args());
    }

    @Test
    void mistakesAreOneLine() {
        assertEquals("unknown flag: --nope", assertThrows(UsageException.class, () -> flags.parse(List.of("--nope"))).getMessage());
        assertEquals("flag needs an argument: --output", assertThrows(UsageException.class, () -> flags.parse(List.of("--output"))).getMessage());
        assertTrue(assertThrows(UsageException.class, () -> flags.parse(List.of("-z"))).getMessage().contains("'z'"));
    }

    @Test
    void sizesAndDurationsLikeDocker() {
        assertEquals("4.26MB", Units.size(4_261_000));
        assertEquals("0B", Units.size(0));
        assertEquals("999B", Units.size(999));
        assertEquals("1kB", Units.size(1000));
        assertEquals("About an hour", Units.duration(java.time.Duration.ofMinutes(61)));
        assertEquals("3 days", Units.duration(java.time.Duration.ofDays(3)));
    }
}
