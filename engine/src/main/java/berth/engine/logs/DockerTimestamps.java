package berth.engine.logs;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code since}/{@code until} timestamps of {@code docker logs} and {@code docker events}, as moby's
 * {@code api/types/time} handles them. A client turns what the user typed into a Unix timestamp with
 * {@link #toUnixTimestamp} (a Go duration back from now, an RFC 3339 date or time, or a Unix timestamp kept as it
 * is); the daemon reads the query parameter with {@link #parseUnixTimestamp}.
 */
public final class DockerTimestamps {
    private static final String DATE = "(?<year>\\d{4})-(?<month>\\d{2})-(?<day>\\d{2})";
    private static final String HOUR = "T(?<hour>\\d{1,2})";
    private static final String MINUTE = ":(?<minute>\\d{2})";
    private static final String SECOND = ":(?<second>\\d{2})";
    private static final String FRACTION = "(?:[.,](?<fraction>\\d+))?";
    private static final String ZONE = "(?<zone>Z|[+-]\\d{2}:\\d{2})";

    /** Go's layouts {@code GetTimestamp} picks from, without their zone; {@code withZone} appends Go's Z07:00. */
    private enum Layout {
        NANO(DATE + HOUR + MINUTE + SECOND + FRACTION),
        SECONDS(DATE + HOUR + MINUTE + SECOND),
        MINUTES(DATE + HOUR + MINUTE),
        HOURS(DATE + HOUR),
        DATE_ONLY(DATE);

        private final Pattern local;
        private final Pattern withZone;

        Layout(String regex) {
            this.local = Pattern.compile(regex);
            this.withZone = Pattern.compile(regex + ZONE);
        }
    }

    private DockerTimestamps() {
    }

    /**
     * moby's {@code ParseTimestamps(value, 0)}: {@code seconds[.fraction]} since the Unix epoch, the form the API's
     * {@code since}/{@code until} parameters take; a fraction of other than nine digits is scaled to nanoseconds.
     *
     * @throws IllegalArgumentException naming the value when it is not such a number
     */
    public static Instant parseUnixTimestamp(String value) {
        int dot = value.indexOf('.');
        String secondsText = dot < 0 ? value : value.substring(0, dot);
        try {
            long seconds = Long.parseLong(secondsText);
            if (dot < 0) {
                return Instant.ofEpochSecond(seconds);
            }
            String fractionText = value.substring(dot + 1);
            long fraction = Long.parseLong(fractionText);
            int shift = 9 - fractionText.length();
            long nanos = shift >= 0 ? fraction * pow10(shift) : (long) (fraction * (1.0 / pow10(-shift)));
            return Instant.ofEpochSecond(seconds, nanos);
        } catch (NumberFormatException | ArithmeticException | DateTimeException e) {
            throw new IllegalArgumentException("invalid timestamp \"" + value + "\": not seconds[.fraction] since the epoch");
        }
    }

    /**
     * moby's {@code GetTimestamp(value, reference)}: a Go duration means that long before {@code reference}
     * ({@code "1136214245"}, whole seconds); an RFC 3339 date or time, complete or cut after the date, hour or
     * minute, with or without a zone (without one it is in {@code reference}'s offset), becomes
     * {@code "seconds.nanoseconds"}; a Unix timestamp comes back unchanged.
     *
     * @throws IllegalArgumentException saying why the value is none of these
     */
    public static String toUnixTimestamp(String value, ZonedDateTime reference) {
        if (!value.equals("0")) {
            try {
                long nanos = GoDuration.parseNanos(value);
                return Long.toString(reference.toInstant().minusNanos(nanos).getEpochSecond());
            } catch (IllegalArgumentException notADuration) {
                // Not a duration: a time or a timestamp.
            }
        }
        boolean inLocation = !containsAny(value, "zZ+") && count(value, '-') != 3;
        Layout layout = layoutFor(value, inLocation);
        Matcher m = (inLocation ? layout.local : layout.withZone).matcher(value);
        try {
            if (!m.matches()) {
                throw new DateTimeException("does not match the layout for " + layout.name().toLowerCase());
            }
            Instant t = toInstant(m, layout, inLocation ? reference.getOffset() : zone(m.group("zone")));
            return t.getEpochSecond() + "." + "%09d".formatted(t.getNano());
        } catch (DateTimeException e) {
            if (value.contains("-")) {
                throw new IllegalArgumentException("cannot parse \"" + value + "\" as a time: " + e.getMessage());
            }
            try {
                parseUnixTimestamp(value);
                return value;
            } catch (IllegalArgumentException notATimestamp) {
                throw new IllegalArgumentException("failed to parse value as time or duration: \"" + value + "\"");
            }
        }
    }

    private static Layout layoutFor(String value, boolean inLocation) {
        if (value.contains(".")) {
            return Layout.NANO;
        }
        if (!value.contains("T")) {
            return Layout.DATE_ONLY;
        }
        int colons = count(value, ':');
        if (!inLocation && !containsAny(value, "zZ") && colons > 0) {
            colons--; // the zone offset's colon
        }
        return switch (colons) {
            case 0 -> Layout.HOURS;
            case 1 -> Layout.MINUTES;
            default -> Layout.SECONDS;
        };
    }

    private static Instant toInstant(Matcher m, Layout layout, ZoneOffset offset) {
        int hour = layout == Layout.DATE_ONLY ? 0 : Integer.parseInt(m.group("hour"));
        int minute = layout == Layout.DATE_ONLY || layout == Layout.HOURS ? 0 : Integer.parseInt(m.group("minute"));
        int second = layout == Layout.NANO || layout == Layout.SECONDS ? Integer.parseInt(m.group("second")) : 0;
        int nanos = layout == Layout.NANO && m.group("fraction") != null ? nanos(m.group("fraction")) : 0;
        return LocalDateTime.of(Integer.parseInt(m.group("year")), Integer.parseInt(m.group("month")),
                Integer.parseInt(m.group("day")), hour, minute, second, nanos).toInstant(offset);
    }

    private static int nanos(String digits) {
        String nine = digits.length() >= 9 ? digits.substring(0, 9) : digits + "0".repeat(9 - digits.length());
        return Integer.parseInt(nine);
    }

    private static ZoneOffset zone(String zone) {
        if (zone.equals("Z")) {
            return ZoneOffset.UTC;
        }
        int hours = Integer.parseInt(zone.substring(1, 3));
        int minutes = Integer.parseInt(zone.substring(4, 6));
        if (hours > 23 || minutes > 59) {
            throw new DateTimeException("time zone offset out of range");
        }
        int seconds = hours * 3600 + minutes * 60;
        return ZoneOffset.ofTotalSeconds(zone.charAt(0) == '-' ? -seconds : seconds);
    }

    private static long pow10(int exponent) {
        long p = 1;
        for (int i = 0; i < exponent; i++) {
            p = Math.multiplyExact(p, 10);
        }
        return p;
    }

    private static boolean containsAny(String s, String chars) {
        for (int i = 0; i < chars.length(); i++) {
            if (s.indexOf(chars.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static int count(String s, char c) {
        return (int) s.chars().filter(x -> x == c).count();
    }
}
