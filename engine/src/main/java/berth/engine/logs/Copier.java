package berth.engine.logs;

import berth.engine.io.ByteSink;
import java.io.IOException;
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
     * Starts copying {@code stream}: the bytes handed to the returned feed, as they are read, until its
     * {@link Feed#end()}. One feed per stream, each used by one thread at a time; the log is shared.
     */
    public Feed feed(StdStream stream) {
        return new Feed(stream);
    }

    /** One stream being copied, push-style: bytes in as they are read, messages out as lines complete. */
    public final class Feed implements ByteSink {
        private final StdStream stream;
        private final Splitter splitter;

        private Feed(StdStream stream) {
            this.stream = stream;
            this.splitter = new Splitter(stream);
        }

        /**
         * Hands {@code data[off, off+len)} to the attached clients and logs the lines it completes. Never asks to
         * pause: the clients have queues of their own, and the log is written at once.
         */
        @Override
        public boolean write(byte[] data, int off, int len) {
            live.publish(stream, data, off, len);
            while (len > 0) {
                int n = splitter.take(data, off, len);
                off += n;
                len -= n;
            }
            return true;
        }

        /** The stream's end: logs an unterminated last line and tells the subscribers that the stream has ended. */
        @Override
        public void end() {
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

        /**
         * Buffers as much of {@code data[off, off+len)} as fits and logs the lines it completes; returns how many
         * bytes it took. The buffer always has room afterwards: a full one without a newline is logged as a fragment.
         */
        int take(byte[] data, int off, int len) {
            int n = Math.min(len, buf.length - length);
            System.arraycopy(data, off, buf, length, n);
            logLines(n);
            return n;
        }

        /** Logs the complete lines now buffered, the last {@code added} bytes being new. */
        private void logLines(int added) {
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
