package berth.engine.logs;

import java.time.Instant;

/**
 * What {@code GET /containers/{id}/logs} asks for.
 *
 * @param stdout     deliver the entries from stdout
 * @param stderr     deliver the entries from stderr
 * @param tail       start with the last {@code tail} entries of the whole log (all files, both streams, as Docker
 *                   counts them), or {@link #ALL}; 0 shows no earlier entries (only followed ones)
 * @param since      leave out entries older than this, or null
 * @param until      stop at the first entry newer than this (following stops then too), or null
 * @param timestamps prefix each entry with its time ({@link Rfc3339#formatNanoFixed}) and a space
 * @param follow     after the existing entries, deliver new ones as they are written until the log is closed
 */
public record ReadOptions(boolean stdout, boolean stderr, int tail, Instant since, Instant until,
                          boolean timestamps, boolean follow) {
    public static final int ALL = -1;

    public ReadOptions {
        if (!stdout && !stderr) {
            throw new IllegalArgumentException("you must choose at least one stream");
        }
        if (tail < 0) {
            tail = ALL;
        }
    }

    /** Both streams, every entry, no timestamps, no follow: {@code docker logs} without flags. */
    public static ReadOptions all() {
        return new ReadOptions(true, true, ALL, null, null, false, false);
    }

    /** The API's {@code tail} parameter as Docker reads it: a number, anything else ({@code "all"}) means all. */
    public static int parseTail(String tail) {
        try {
            return Math.max(Integer.parseInt(tail), ALL);
        } catch (NumberFormatException e) {
            return ALL;
        }
    }

    public ReadOptions withStreams(boolean stdout, boolean stderr) {
        return new ReadOptions(stdout, stderr, tail, since, until, timestamps, follow);
    }

    public ReadOptions withTail(int tail) {
        return new ReadOptions(stdout, stderr, tail, since, until, timestamps, follow);
    }

    public ReadOptions withSince(Instant since) {
        return new ReadOptions(stdout, stderr, tail, since, until, timestamps, follow);
    }

    public ReadOptions withUntil(Instant until) {
        return new ReadOptions(stdout, stderr, tail, since, until, timestamps, follow);
    }

    public ReadOptions withTimestamps(boolean timestamps) {
        return new ReadOptions(stdout, stderr, tail, since, until, timestamps, follow);
    }

    public ReadOptions withFollow(boolean follow) {
        return new ReadOptions(stdout, stderr, tail, since, until, timestamps, follow);
    }
}
