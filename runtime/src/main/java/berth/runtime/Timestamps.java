package berth.runtime;

/**
 * RFC 3339 UTC timestamps ("2026-11-23T04:07:12.345678901Z") without java.time, whose first use costs
 * several milliseconds of class initialisation in every short-lived command.
 */
public final class Timestamps {
    private Timestamps() {}

    public static String now() {
        long nanos = System.currentTimeMillis() * 1_000_000L + System.nanoTime() % 1_000_000L;
        return format(Math.floorDiv(nanos, 1_000_000_000L), (int) Math.floorMod(nanos, 1_000_000_000L));
    }

    /** Formats seconds since the epoch plus nanoseconds. */
    public static String format(long epochSecond, int nano) {
        long days = Math.floorDiv(epochSecond, 86_400L);
        long secs = Math.floorMod(epochSecond, 86_400L);
        // civil_from_days (Howard Hinnant's algorithm)
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long day = doy - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        StringBuilder sb = new StringBuilder(30);
        pad(sb, year, 4).append('-');
        pad(sb, month, 2).append('-');
        pad(sb, day, 2).append('T');
        pad(sb, secs / 3600, 2).append(':');
        pad(sb, secs / 60 % 60, 2).append(':');
        pad(sb, secs % 60, 2).append('.');
        return pad(sb, nano, 9).append('Z').toString();
    }

    private static StringBuilder pad(StringBuilder sb, long value, int width) {
        String digits = Long.toString(value);
        for (int i = digits.length(); i < width; i++) sb.append('0');
        return sb.append(digits);
    }
}
