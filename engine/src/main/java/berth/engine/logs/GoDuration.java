package berth.engine.logs;

import java.util.Map;

/**
 * Go's {@code time.ParseDuration}, which Docker tries first on a {@code --since}/{@code --until} value: a signed
 * sequence of decimal numbers, each with an optional fraction and a unit ({@code ns}, {@code us}/{@code µs},
 * {@code ms}, {@code s}, {@code m}, {@code h}), such as {@code 1h30m}, {@code 1.5h} or {@code -300ms}.
 */
final class GoDuration {
    private static final Map<String, Long> UNITS = Map.of(
            "ns", 1L, "us", 1_000L, "µs", 1_000L, "μs", 1_000L, "ms", 1_000_000L,
            "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    private GoDuration() {
    }

    /**
     * The duration in nanoseconds.
     *
     * @throws IllegalArgumentException naming the text when it is not a Go duration or does not fit 64 bits
     */
    static long parseNanos(String text) {
        try {
            return parse(text);
        } catch (ArithmeticException e) {
            throw invalid(text);
        }
    }

    private static long parse(String text) {
        String s = text;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return 0;
        }
        if (s.isEmpty()) {
            throw invalid(text);
        }
        long total = 0;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            long whole = 0;
            while (i < s.length() && isDigit(s.charAt(i))) {
                whole = Math.addExact(Math.multiplyExact(whole, 10), s.charAt(i++) - '0');
            }
            boolean hasWhole = i > start;
            long fraction = 0;
            double scale = 1;
            boolean hasFraction = false;
            if (i < s.length() && s.charAt(i) == '.') {
                i++;
                int fractionStart = i;
                boolean overflow = false;
                while (i < s.length() && isDigit(s.charAt(i))) {
                    if (!overflow && fraction <= (Long.MAX_VALUE - 9) / 10) {
                        fraction = fraction * 10 + (s.charAt(i) - '0');
                        scale *= 10;
                    } else {
                        overflow = true;
                    }
                    i++;
                }
                hasFraction = i > fractionStart;
            }
            if (!hasWhole && !hasFraction) {
                throw invalid(text);
            }
            int unitStart = i;
            while (i < s.length() && s.charAt(i) != '.' && !isDigit(s.charAt(i))) {
                i++;
            }
            if (unitStart == i) {
                throw new IllegalArgumentException("time: missing unit in duration \"" + text + "\"");
            }
            Long unit = UNITS.get(s.substring(unitStart, i));
            if (unit == null) {
                throw new IllegalArgumentException("time: unknown unit \"" + s.substring(unitStart, i)
                        + "\" in duration \"" + text + "\"");
            }
            long value = Math.multiplyExact(whole, unit);
            if (fraction > 0) {
                value = Math.addExact(value, (long) (fraction * (unit / scale)));
            }
            total = Math.addExact(total, value);
        }
        return negative ? -total : total;
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("time: invalid duration \"" + text + "\"");
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
