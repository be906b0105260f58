package berth.engine.logs;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a json-file log rotates, from the driver's {@code --log-opt max-size=10m} and {@code max-file=3}: once the
 * current file has reached {@code maxSize} bytes, the next entry starts a new one, and at most {@code maxFiles}
 * files are kept ({@code <id>-json.log}, {@code .1}, ... {@code .<maxFiles-1>}). As in Docker, nothing rotates
 * unless {@code max-size} is set.
 *
 * @param maxSize  bytes after which the file rotates, or {@link #UNLIMITED}
 * @param maxFiles how many files to keep, at least 1 (with 1 the full file is simply replaced)
 */
public record LogRotation(long maxSize, int maxFiles) {
    public static final long UNLIMITED = -1;
    /** Docker's default: one file that grows without limit. */
    public static final LogRotation NONE = new LogRotation(UNLIMITED, 1);

    /** go-units' {@code FromHumanSize}: decimal units, {@code k}=1000, {@code m}=1000000, optional {@code i}/{@code b}. */
    private static final Pattern HUMAN_SIZE = Pattern.compile("(\\d+(?:\\.\\d+)*) ?([kmgtp])?i?b?",
            Pattern.CASE_INSENSITIVE);

    public LogRotation {
        if (maxSize != UNLIMITED && maxSize <= 0) {
            throw new IllegalArgumentException("max-size must be a positive number");
        }
        if (maxFiles < 1) {
            throw new IllegalArgumentException("max-file cannot be less than 1");
        }
    }

    /**
     * The rotation a container's json-file {@code --log-opt}s ask for, validated as Docker validates them.
     *
     * @throws IllegalArgumentException with Docker's message for an unknown option or a malformed value
     */
    public static LogRotation fromOptions(Map<String, String> options) {
        long maxSize = UNLIMITED;
        int maxFiles = 1;
        for (Map.Entry<String, String> option : options.entrySet()) {
            switch (option.getKey()) {
                case "max-size" -> maxSize = parseHumanSize(option.getValue());
                case "max-file" -> maxFiles = parseMaxFile(option.getValue());
                case "compress" -> {
                    if (parseGoBool(option.getValue())) {
                        throw new IllegalArgumentException("log opt 'compress' is not supported by berth's json-file log driver");
                    }
                }
                default -> throw new IllegalArgumentException(
                        "unknown log opt '" + option.getKey() + "' for json-file log driver");
            }
        }
        return new LogRotation(maxSize, maxFiles);
    }

    /** Whether a file of {@code size} bytes is full, so the next entry goes to a new one. */
    public boolean isFull(long size) {
        return maxSize != UNLIMITED && size >= maxSize;
    }

    private static long parseHumanSize(String text) {
        Matcher m = HUMAN_SIZE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid size: '" + text + "'");
        }
        double size;
        try {
            size = Double.parseDouble(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid size: '" + text + "'");
        }
        if (m.group(2) != null) {
            size *= switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "k" -> 1e3;
                case "m" -> 1e6;
                case "g" -> 1e9;
                case "t" -> 1e12;
                default -> 1e15;
            };
        }
        long bytes = (long) size;
        if (bytes <= 0) {
            throw new IllegalArgumentException("max-size must be a positive number");
        }
        return bytes;
    }

    /** Go's {@code strconv.ParseBool}. */
    private static boolean parseGoBool(String text) {
        return switch (text) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> throw new IllegalArgumentException("invalid compress '" + text + "': not a boolean");
        };
    }

    private static int parseMaxFile(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid max-file '" + text + "': not an integer");
        }
    }
}
