package berth.engine.logs;

import java.io.IOException;

/**
 * Where {@link LogReader} delivers a container's log: one call per entry, its bytes (with the timestamp prefix when
 * asked for) and the stream it came from. {@code StreamFraming}'s writers fit: {@code writer::write}.
 */
@FunctionalInterface
public interface LogSink {
    /** Takes one entry; {@code data[off, off+len)} is only valid during the call. Throwing stops the read. */
    void accept(StdStream stream, byte[] data, int off, int len) throws IOException;
}
