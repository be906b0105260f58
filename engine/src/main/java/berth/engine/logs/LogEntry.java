package berth.engine.logs;

import java.time.Instant;

/**
 * One decoded json-file entry: the {@code "stream"} name as written (Docker writes {@code stdout} and
 * {@code stderr}), the {@code "log"} text as UTF-8 bytes and the {@code "time"}.
 */
record LogEntry(String stream, byte[] line, Instant time) {
}
