package berth.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes and durations the way the docker CLI prints and reads them (docker/go-units). */
final class Units {
    private Units() {}

    private static final String[] DECIMAL = {"B", "kB", "MB", "GB", "TB", "PB"};
    private static final String[] BINARY = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    private static final Pattern RAM = Pattern.compile("^(\\d+(?:\\.\\d+)?) ?([kKmMgGtTpP])?[iI]?[bB]?$");

    /** {@code 4.26MB}: decimal units, three significant digits. */
    static String size(long bytes) {
        return scaled(bytes, 1000, DECIMAL);
    }

    /** {@code 1.5MiB}: binary units, as {@code stats} prints memory. */
    static String binarySize(long bytes) {
        return scaled(bytes, 1024, BINARY);
    }

    private static String scaled(long bytes, int base, String[] units) {
        double v = bytes;
        int u = 0;
        while (v >= base && u < units.length - 1) {
            v /= base;
            u++;
        }
        String s = new java.math.BigDecimal(v).round(new java.math.MathContext(base == 1000 ? 3 : 4)).stripTrailingZeros().toPlainString();
        return s + units[u];
    }

    /**
     * Parses a size as {@code -m}/{@code --shm-size} take it ({@code RAMInBytes}): a number and an optional
     * binary unit {@code b k m g t p} (case-insensitive, optional {@code i}/{@code b} after it).
     */
    static long ramInBytes(String s, String flag) {
        Matcher m = RAM.matcher(s.strip());
        if (!m.matches()) throw new UsageException("invalid size: '" + s + "' for " + flag);
        double v = Double.parseDouble(m.group(1));
        int shift = m.group(2) == null ? 0 : switch (Character.toLowerCase(m.group(2).charAt(0))) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 50;
        };
        return (long) (v * (1L << shift));
    }

    /** {@code 3 hours ago}, for an RFC 3339 time; {@code N/A} if it cannot be read. */
    static String ago(String rfc3339) {
        if (rfc3339 == null || rfc3339.isEmpty()) return "N/A";
        try {
            return ago(Instant.parse(rfc3339));
        } catch (DateTimeParseException e) {
            return "N/A";
        }
    }

    static String ago(Instant then) {
        return duration(Duration.between(then, Instant.now())) + " ago";
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
