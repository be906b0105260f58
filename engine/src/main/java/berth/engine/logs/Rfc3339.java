package berth.engine.logs;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * RFC 3339 times as Go writes and reads them, which is what Docker's logs contain: {@link #formatNano} is Go's
 * {@code time.RFC3339Nano} (the fraction's trailing zeros dropped, no fraction for a whole second), the json-file
 * {@code "time"} field; {@link #formatNanoFixed} is moby's {@code RFC3339NanoFixed} (always nine digits), the
 * prefix {@code docker logs --timestamps} puts on each line; {@link #parse} reads either back. Times are written in
 * UTC with {@code Z}, as Docker's copier stamps them.
 */
public final class Rfc3339 {
    private Rfc3339() {
    }

    /** Go's {@code t.UTC().Format(time.RFC3339Nano)}: {@code 2017-09-01T01:01:01.000000001Z}, {@code ...01:01:01.12Z}. */
    public static String formatNano(Instant time) {
        StringBuilder out = dateTime(time);
        int nanos = time.getNano();
        if (nanos != 0) {
            int digits = 9;
            while (nanos % 10 == 0) {
                nanos /= 10;
                digits--;
            }
            out.append('.');
            appendPadded(out, nanos, digits);
        }
        return out.append('Z').toString();
    }

    /** moby's {@code RFC3339NanoFixed}: always nine fraction digits, {@code 2017-09-01T01:01:01.120000000Z}. */
    public static String formatNanoFixed(Instant time) {
        StringBuilder out = dateTime(time).append('.');
        appendPadded(out, time.getNano(), 9);
        return out.append('Z').toString();
    }

    /**
     * Reads an RFC 3339 time as Go's {@code time.Parse(time.RFC3339Nano, ...)} does: {@code YYYY-MM-DDTHH:MM:SS},
     * an optional fraction of any length (digits past the ninth are dropped), then {@code Z} or {@code ±hh:mm}.
     *
     * @throws DateTimeException naming the text when it is not such a time
     */
    public static Instant parse(CharSequence text) {
        Scanner s = new Scanner(text);
        try {
            int year = s.digits(4);
            s.expect('-');
            int month = s.digits(2);
            s.expect('-');
            int day = s.digits(2);
            s.expect('T');
            int hour = s.digits(2);
            s.expect(':');
            int minute = s.digits(2);
            s.expect(':');
            int second = s.digits(2);
            int nanos = s.fraction();
            ZoneOffset offset = s.zone();
            if (!s.atEnd()) {
                throw new DateTimeException("extra text");
            }
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(offset);
        } catch (DateTimeException e) {
            throw new DateTimeException("not an RFC 3339 time: \"" + text + "\" (" + e.getMessage() + ")");
        }
    }

    private static StringBuilder dateTime(Instant time) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(time.getEpochSecond(), 0, ZoneOffset.UTC);
        if (t.getYear() < 0 || t.getYear() > 9999) {
            throw new DateTimeException("time " + time + " is outside the years 0-9999 that RFC 3339 can write");
        }
        StringBuilder out = new StringBuilder(30);
        appendPadded(out, t.getYear(), 4);
        out.append('-');
        appendPadded(out, t.getMonthValue(), 2);
        out.append('-');
        appendPadded(out, t.getDayOfMonth(), 2);
        out.append('T');
        appendPadded(out, t.getHour(), 2);
        out.append(':');
        appendPadded(out, t.getMinute(), 2);
        out.append(':');
        appendPadded(out, t.getSecond(), 2);
        return out;
    }

    private static void appendPadded(StringBuilder out, int value, int width) {
        String digits = Integer.toString(value);
        out.repeat('0', width - digits.length()).append(digits);
    }

    /** A cursor over the text being parsed. */
    private static final class Scanner {
        private final CharSequence text;
        private int pos;

        Scanner(CharSequence text) {
            this.text = text;
        }

        int digits(int count) {
            int value = 0;
            for (int i = 0; i < count; i++) {
                value = value * 10 + digit();
            }
            return value;
        }

        private int digit() {
            if (pos >= text.length() || !isDigit(text.charAt(pos))) {
                throw new DateTimeException("expected a digit at offset " + pos);
            }
            return text.charAt(pos++) - '0';
        }

        void expect(char c) {
            if (pos >= text.length() || text.charAt(pos) != c) {
                throw new DateTimeException("expected '" + c + "' at offset " + pos);
            }
            pos++;
        }

        /** Go accepts a fraction of any length after {@code .} or {@code ,} and keeps nanoseconds. */
        int fraction() {
            if (pos + 1 >= text.length() || (text.charAt(pos) != '.' && text.charAt(pos) != ',')
                    || !isDigit(text.charAt(pos + 1))) {
                return 0;
            }
            pos++;
            int nanos = 0;
            int scale = 100_000_000;
            while (pos < text.length() && isDigit(text.charAt(pos))) {
                nanos += (text.charAt(pos++) - '0') * scale;
                scale /= 10;
            }
            return nanos;
        }

        ZoneOffset zone() {
            if (pos < text.length() && text.charAt(pos) == 'Z') {
                pos++;
                return ZoneOffset.UTC;
            }
            if (pos >= text.length() || (text.charAt(pos) != '+' && text.charAt(pos) != '-')) {
                throw new DateTimeException("expected 'Z' or a ±hh:mm offset at offset " + pos);
            }
            int sign = text.charAt(pos++) == '-' ? -1 : 1;
            int hours = digits(2);
            expect(':');
            int minutes = digits(2);
            if (hours > 23 || minutes > 59) {
                throw new DateTimeException("time zone offset out of range");
            }
            return ZoneOffset.ofTotalSeconds(sign * (hours * 3600 + minutes * 60));
        }

        boolean atEnd() {
            return pos == text.length();
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }
    }
}
