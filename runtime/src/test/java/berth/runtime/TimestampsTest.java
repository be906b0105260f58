package berth.runtime;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TimestampsTest {
    @Test
    void matchesJavaTimeAcrossCalendarEdges() {
        long[] seconds = {0, 951_782_400L /* 2000-02-29 */, 1_795_406_400L, 4_102_444_799L /* 2099-12-31T23:59:59 */,
                -1 /* 1969-12-31T23:59:59 */, 1_709_164_800L /* 2024-02-29 */};
        for (long s : seconds) {
            assertEquals(Instant.ofEpochSecond(s, 123_456_789).toString(), Timestamps.format(s, 123_456_789));
        }
    }

    @Test
    void nowIsCloseToTheClock() {
        Instant parsed = Instant.parse(Timestamps.now());
        long drift = Math.abs(parsed.toEpochMilli() - System.currentTimeMillis());
        assertEquals(true, drift < 5_000, "drift " + drift + " ms");
    }
}
