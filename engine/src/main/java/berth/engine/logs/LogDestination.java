package berth.engine.logs;

import java.io.IOException;
import java.time.Instant;

/**
 * Where a {@link Copier} puts the log messages it cuts from a container's output: one call per message, in the
 * order the container wrote them. {@link JsonFileLog} is the json-file driver; a container started with
 * {@code --log-driver none} gets a destination that drops everything.
 */
@FunctionalInterface
public interface LogDestination {
    /** The destination of {@code --log-driver none}. */
    LogDestination NONE = (stream, data, off, len, time) -> { };

    /**
     * Records one message: {@code data[off, off+len)} is the message exactly as the log stores it, a whole line
     * with its {@code '\n'} or, for a fragment of a line longer than {@link Copier#MAX_LINE} or an unterminated
     * last line, the bytes without one.
     */
    void write(StdStream stream, byte[] data, int off, int len, Instant time) throws IOException;
}
