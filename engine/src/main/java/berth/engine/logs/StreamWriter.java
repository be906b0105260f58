package berth.engine.logs;

import java.io.IOException;

/**
 * Writes a container's output to a client in the framing the connection uses (see {@link StreamFraming}). Safe to
 * share between the threads that copy stdout and stderr: frames never interleave.
 */
public interface StreamWriter extends LogSink {
    /** Writes {@code data[off, off+len)} of {@code stream}; nothing for an empty range. */
    void write(StdStream stream, byte[] data, int off, int len) throws IOException;

    void flush() throws IOException;

    /** As a {@link LogSink}, each log entry is one write. */
    @Override
    default void accept(StdStream stream, byte[] data, int off, int len) throws IOException {
        write(stream, data, off, len);
    }
}
