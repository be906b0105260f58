package berth.engine.logs;

import org.junit.jupiter.api.Test;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Times as moby's {@code api/types/time} tests and Go's time formats have them. */
class TimestampsTest {
    private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 23, 10, 0, 0, 500_000_000, ZoneOffset.UTC);

    @Test
    void rfc3339TimesAreRecognisedCompleteOrCutShortAsMobysTestsSay() {
        String[][] cases = {
                {"2006-01-02T15:04:05.999999999+07:00", "1136189045.999999999"},
                {"2006-01-02T15:04:05.999999999Z", "1136214245.999999999"},
                {"2006-01-02T15:04:05.999999999", "1136214245.999999999"},
                {"2006-01-02T15:04:05Z", "1136214245.000000000"},
                {"2006-01-02T15:04:05", "1136214245.000000000"},
                {"2006-01-02T15:04Z", "1136214240.000000000"},
                {"2006-01-02T15:04+00:00", "1136214240.000000000"},
                {"2006-01-02T15:04-00:00", "1136214240.000000000"},
                {"2006-01-02T15:04", "1136214240.000000000"},
                {"2006-01-02T15Z", "1136214000.000000000"},
                {"2006-01-02T15+00:00", "1136214000.000000000"},
                {"2006-01-02T15-00:00", "1136214000.000000000"},
                {"2006-01-02T15", "1136214000.000000000"},
                {"2006-01-02T1Z", "1136163600.000000000"},
                {"2006-01-02T1", "1136163600.000000000"},
                {"2006-01-02+00:00", "1136160000.000000000"},
                {"2006-01-02-00:00", "1136160000.000000000"},
                {"2006-01-02-00:01", "1136160060.000000000"},
                {"2006-01-02Z", "1136160000.000000000"},
                {"2006-01-02", "1136160000.000000000"},
                {"2015-05-13T20:39:09Z", "1431549549.000000000"},
                {"1136073600", "1136073600"},
                {"1136073600.000000001", "1136073600.000000001"},
                {"0", "0"},
        };
        for (String[] c : cases) {
            assertEquals(c[1], DockerTimestamps.toUnixTimestamp(c[0], NOW), c[0]);
        }
    }

    @Test
    void aTimeWithoutZoneIsInTheReferencesOffset() {
        ZonedDateTime berlin = NOW.withZoneSameInstant(ZoneOffset.ofHours(1));
        assertEquals("1136210645.000000000", DockerTimestamps.toUnixTimestamp("2006-01-02T15:04:05", berlin));
    }

    @Test
    void malformedTimesAreErrors() {
        for (String bad : new String[]{"2006-01-02T15:04:0Z", "2006-01-02T15:04:0", "2006-01-02T15:0Z", "2006-01-02T15:0",
                "2006-01-02TZ", "2006-01-02T", "2006-02-30", "invalid", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DockerTimestamps.toUnixTimestamp(bad, NOW), bad);
            assertEquals(false, e.getMessage().isBlank());
        }
        assertEquals("failed to parse value as time or duration: \"invalid\"",
                assertThrows(IllegalArgumentException.class, () -> DockerTimestamps.toUnixTimestamp("invalid", NOW)).getMessage());
    }

    @Test
    void durationsCountBackFromTheReferenceInWholeSeconds() {
        long now = NOW.toEpochSecond();
        assertEquals(Long.toString(now - 60), DockerTimestamps.toUnixTimestamp("1m", NOW));
        assertEquals(Long.toString(now - 5400), DockerTimestamps.toUnixTimestamp("1.5h", NOW));
        assertEquals(Long.toString(now - 5400), DockerTimestamps.toUnixTimestamp("1h30m", NOW));
        assertEquals(Long.toString(now), DockerTimestamps.toUnixTimestamp("500ms", NOW), "10:00:00.5 - 0.5s");
        assertEquals(Long.toString(now - 1), DockerTimestamps.toUnixTimestamp("600ms", NOW), "09:59:59.9");
        assertEquals(Long.toString(now + 3600), DockerTimestamps.toUnixTimestamp("-1h", NOW));
        assertEquals(1_500L, GoDuration.parseNanos("1.5µs"));
        assertEquals(1_000_000L, GoDuration.parseNanos(".001s"));
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parseNanos("1"));
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parseNanos("1d"));
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parseNanos(".s"));
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parseNanos("9999999999h"));
    }

    @Test
    void theApiParsesUnixTimestampsWithAnyFractionAsMobysParseTimestamps() {
        assertEquals(Instant.ofEpochSecond(1136073600), DockerTimestamps.parseUnixTimestamp("1136073600"));
        assertEquals(Instant.ofEpochSecond(1136073600, 1), DockerTimestamps.parseUnixTimestamp("1136073600.000000001"));
        assertEquals(Instant.ofEpochSecond(1136073600, 1), DockerTimestamps.parseUnixTimestamp("1136073600.0000000010"));
        assertEquals(Instant.ofEpochSecond(1136073600, 10), DockerTimestamps.parseUnixTimestamp("1136073600.00000001"));
        assertEquals(Instant.ofEpochSecond(1, 500_000_000), DockerTimestamps.parseUnixTimestamp("1.5"));
        assertEquals(Instant.EPOCH, DockerTimestamps.parseUnixTimestamp("0"));
        assertThrows(IllegalArgumentException.class, () -> DockerTimestamps.parseUnixTimestamp("foo.bar"));
        assertThrows(IllegalArgumentException.class, () -> DockerTimestamps.parseUnixTimestamp("1136073600.bar"));
        assertThrows(IllegalArgumentException.class, () -> DockerTimestamps.parseUnixTimestamp("2006-01-02"));
    }

    @Test
    void rfc3339NanoAndFixedFormatsAsGoWritesThem() {
        Instant t = Instant.parse("2026-11-23T10:00:00.120Z");
        assertEquals("2026-11-23T10:00:00.12Z", Rfc3339.formatNano(t));
        assertEquals("2026-11-23T10:00:00.120000000Z", Rfc3339.formatNanoFixed(t));
        assertEquals("0001-01-01T00:00:00Z", Rfc3339.formatNano(Instant.parse("0001-01-01T00:00:00Z")));
        assertEquals("0001-01-01T00:00:00.000000000Z", Rfc3339.formatNanoFixed(Instant.parse("0001-01-01T00:00:00Z")));
        assertEquals(t, Rfc3339.parse("2026-11-23T10:00:00.12Z"));
        assertEquals(t, Rfc3339.parse("2026-11-23T11:00:00.120000000+01:00"));
        assertEquals(Instant.parse("2026-11-23T10:00:00.123456789Z"), Rfc3339.parse("2026-11-23T10:00:00.1234567899Z"));
        assertThrows(DateTimeException.class, () -> Rfc3339.parse("2026-11-23 10:00:00Z"));
        assertThrows(DateTimeException.class, () -> Rfc3339.parse("2026-11-23T10:00:00"));
    }
}
