package berth.engine.api;

import berth.engine.EngineException;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Docker's timestamp arguments ({@code since}, {@code until}): unix seconds with a fraction, RFC 3339, or a duration back from now like {@code 10m}. */
final class Timestamps {
    private Timestamps() {}

    /** Nanoseconds since the epoch; durations count back from {@code nowNanos}. */
    static long nanos(String s, long nowNanos) {
        String t = s.strip();
        try {
            if (t.matches("\\d+(\\.\\d{1,9})?")) {
                String[] p = t.split("\\.");
                long secs = Long.parseLong(p[0]);
                long frac = p.length > 1 ? Long.parseLong((p[1] + "000000000").substring(0, 9)) : 0;
                return secs * 1_000_000_000L + frac;
            }
            if (t.matches("\\d+[smh]")) return nowNanos - Duration.parse("PT" + t.toUpperCase()).toNanos();
            Instant i = t.contains("T") ? OffsetDateTime.parse(t).toInstant() : Instant.parse(t + "T00:00:00Z");
            return i.getEpochSecond() * 1_000_000_000L + i.getNano();
        } catch (RuntimeException e) {
            throw new EngineException.Invalid("invalid timestamp: \"" + s + "\"");
        }
    }
}
