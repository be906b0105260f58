package berth.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --since}/{@code --until} values as the docker CLI reads them ({@code timetypes.GetTimestamp}): a
 * Go duration ({@code 10m}, {@code 1h30m}) counted back from now, an RFC 3339 time or date, or Unix seconds
 * ({@code 1700000000[.nanos]}); sent as Unix seconds with nanoseconds.
 */
final class Timestamps {
    private Timestamps() {}

    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");
    private static final Pattern UNIX = Pattern.compile("\\d+(\\.\\d{1,9})?");

    static String toApi(String value, Instant now) {
        if (value == null) return null;
        String v = value.strip();
        if (UNIX.matcher(v).matches()) return v;
        Duration d = goDuration(v);
        if (d != null) return seconds(now.minus(d));
        try {
            return seconds(OffsetDateTime.parse(v).toInstant());
        } catch (DateTimeParseException e) {
            // not with an offset: a local date-time or a date
        }
        try {
            return seconds(LocalDateTime.parse(v).atZone(ZoneId.systemDefault()).toInstant());
        } catch (DateTimeParseException e) {
            // a date alone?
        }
        try {
            return seconds(LocalDate.parse(v).atStartOfDay(ZoneId.systemDefault()).toInstant());
        } catch (DateTimeParseException e) {
            throw new UsageException("invalid time \"" + value + "\": use a duration (10m), an RFC 3339 time or Unix seconds");
        }
    }

    static Duration goDuration(String s) {
        Matcher m = DURATION_PART.matcher(s);
        int at = 0;
        Duration total = Duration.ZERO;
        while (m.find() && m.start() == at) {
            double n = Double.parseDouble(m.group(1));
            long nanos = (long) (n * switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            });
            total = total.plusNanos(nanos);
            at = m.end();
        }
        return at == s.length() && at > 0 ? total : null;
    }

    private static String seconds(Instant t) {
        return t.getEpochSecond() + "." + String.format("%09d", t.getNano());
    }
}
