package berth.engine.logs;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Copies a container's output stream into its log the way Docker's {@code logger.Copier} does, and hands the raw
 * output to attached clients as it arrives. The stream is cut at each {@code '\n'} into messages stamped with the
 * time they were read; a line longer than {@link #MAX_LINE} bytes is logged in fragments of that size without a
 * newline (Docker's partial messages, all carrying the first fragment's time), and an unterminated last line is
 * logged as such a fragment at end of stream. A TTY's output is one stream, stdout, cut the same way (its lines end
 * in {@code "\r\n"}).
 *
 * <p>A log write that fails is reported and the copying goes on, as in Docker, so a full disk never blocks the
 * container on a full pipe.
 */
public final class Copier {
    /** Docker's {@code defaultBufSize}: the longest line logged as one message. */
    public static final int MAX_LINE = 16 * 1024;

    private static final Logger LOG = Logger.getLogger(Copier.class.getName());

    private final LogDestination log;
    private final Subscribers live;
    private final Clock clock;

    /**
     * @param log   where the messages go
     * @param live  the container's attached clients, which get the output as read and learn when each stream ends
     * @param clock stamps the messages (UTC, as Docker's {@code time.Now().UTC()})
     */
    public Copier(LogDestination log, Subscribers live, Clock clock) {
        this.log = log;
        this.live = live;
        this.clock = clock;
    }

    /**
     * Copies {@code in} until its end, then tells the subscribers that {@code stream} has ended. Run one per stream,
     * each on its own thread; the log is shared.
     *
     * @throws IOException if reading {@code in} fails; what was read before is logged first
     */
    public void copy(StdStream stream, InputStream in) throws IOException {
        Splitter splitter = new Splitter(stream);
        try {
            byte[] buf = splitter.buf;
            while (true) {
                int n = in.read(buf, splitter.length, buf.length - splitter.length);
                if (n < 0) {
                    break;
                }
                live.publish(stream, buf, splitter.length, n);
                splitter.logLines(n);
            }
        } finally {
            splitter.flushRest();
            live.end(stream);
        }
    }

    /** Cuts one stream's buffered bytes into messages; keeps an unterminated line until it ends or fills the buffer. */
    private final class Splitter {
        private final StdStream stream;
        private final byte[] buf = new byte[MAX_LINE];
        private int length;
        private Instant partialTime; // the first fragment's time while a long line is being logged in fragments

        Splitter(StdStream stream) {
            this.stream = stream;
        }

        /** Logs the complete lines now buffered, the last {@code added} bytes being new. */
        void logLines(int added) {
            int start = 0;
            int from = length;
            length += added;
            for (int i = from; i < length; i++) {
                if (buf[i] == '\n') {
                    Instant time = partialTime != null ? partialTime : clock.instant();
                    partialTime = null;
                    write(start, i + 1 - start, time);
                    start = i + 1;
                }
            }
            if (start == 0 && length == buf.length) {
                logFragment();
            } else if (start > 0) {
                System.arraycopy(buf, start, buf, 0, length - start);
                length -= start;
            }
        }

        void flushRest() {
            if (length > 0) {
                logFragment();
            }
        }

        private void logFragment() {
            if (partialTime == null) {
                partialTime = clock.instant();
            }
            write(0, length, partialTime);
            length = 0;
        }

        private void write(int off, int len, Instant time) {
            try {
                log.write(stream, buf, off, len, time);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "dropping a " + len + "-byte " + stream.logName() + " log message: " + e.getMessage());
            }
        }
    }
}
