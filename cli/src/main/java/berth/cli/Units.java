package berth.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Sizes and durations the way the docker CLI prints them (docker/go-units). */
final class Units {
    private Units() {}

    private static final String[] DECIMAL = {"B", "kB", "MB", "GB", "TB", "PB"};

    /** {@code 4.26MB}: decimal units, three significant digits. */
    static String size(long bytes) {
        double v = bytes;
        int u = 0;
        while (v >= 1000 && u < DECIMAL.length - 1) {
            v /= 1000;
            u++;
        }
        String s = new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
        return s + DECIMAL[u];
    }

    /** {@code 3 hours ago}, for an RFC 3339 time; {@code N/A} if it cannot be read. */
    static String ago(String rfc3339) {
        if (rfc3339 == null || rfc3339.isEmpty()) return "N/A";
        try {
            Duration d = Duration.between(Instant.parse(rfc3339), Instant.now());
            return duration(d) + " ago";
        } catch (DateTimeParseException e) {
            return "N/A";
        }
    }

    static String duration(Duration d) {
        long s = d.toSeconds();
        if (s < 1) return "Less than a second";
        if (s == 1) return "1 second";
        if (s < 60) return s + " seconds";
        long m = d.toMinutes();
        if (m == 1) return "About a minute";
        if (m < 60) return m + " minutes";
        long h = Math.round(d.toSeconds() / 3600.0);
        if (h == 1) return "About an hour";
        if (h < 48) return h + " hours";
        if (h < 24 * 7 * 2) return h / 24 + " days";
        if (h < 24 * 30 * 2) return h / 24 / 7 + " weeks";
        if (h < 24 * 365 * 2) return h / 24 / 30 + " months";
        return String.format(Locale.ROOT, "%d years", h / 24 / 365);
    }
}
