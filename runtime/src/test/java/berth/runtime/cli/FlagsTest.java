package berth.runtime.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlagsTest {
    private final Flags flags = new Flags().value("bundle", "bundle", "b").bool("detach", "detach", "d")
            .value("env", "env", "e");

    @Test
    void readsRuncsSpellings() {
        var p = flags.parse(List.of("--bundle", "/b", "-d", "-e", "A=1", "--env=B=2", "id", "--not-a-flag"));
        assertEquals("/b", p.get("bundle"));
        assertTrue(p.is("detach"));
        assertEquals(List.of("A=1", "B=2"), p.all("env"));
        assertEquals(List.of("id", "--not-a-flag"), p.positionals());
        assertEquals("/c", flags.parse(List.of("-bundle=/c", "x")).get("bundle"));
        assertFalse(flags.parse(List.of("--detach=false", "x")).is("detach"));
        assertEquals(List.of("-x"), flags.parse(List.of("--", "-x")).positionals());
    }

    @Test
    void mistakesAreOneLine() {
        assertEquals("flag provided but not defined: -bogus",
                assertThrows(UsageException.class, () -> flags.parse(List.of("--bogus"))).getMessage());
        assertEquals("flag needs an argument: -bundle",
                assertThrows(UsageException.class, () -> flags.parse(List.of("--bundle"))).getMessage());
        assertEquals("--detach: expected true or false",
                assertThrows(UsageException.class, () -> flags.parse(List.of("--detach=maybe"))).getMessage());
    }

    @Test
    void signals() {
        assertEquals(9, Signals.parse("KILL"));
        assertEquals(9, Signals.parse("SIGKILL"));
        assertEquals(15, Signals.parse("15"));
        assertEquals(37, Signals.parse("RTMIN+3"));
        assertEquals("unknown signal \"SIGFOO\"", assertThrows(UsageException.class, () -> Signals.parse("SIGFOO")).getMessage());
        assertEquals("unknown signal \"0\"", assertThrows(UsageException.class, () -> Signals.parse("0")).getMessage());
    }
}
