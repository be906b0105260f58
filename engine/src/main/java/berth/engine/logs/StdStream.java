package berth.engine.logs;

import java.util.Optional;

/**
 * A container's standard stream, with the two names it goes by: the stream id of Docker's multiplexed framing
 * ({@code stdcopy}) and the name the json-file log records in its {@code "stream"} field.
 */
public enum StdStream {
    STDIN(0, "stdin"),
    STDOUT(1, "stdout"),
    STDERR(2, "stderr"),
    /** Docker's in-band error stream of a multiplexed response: its payload is an error message from the daemon. */
    SYSTEMERR(3, "systemerr");

    private final int id;
    private final String logName;

    StdStream(int id, String logName) {
        this.id = id;
        this.logName = logName;
    }

    /** The stream id in the first byte of a multiplexed frame's header. */
    public int id() {
        return id;
    }

    /** The name in a json-file log entry's {@code "stream"} field ({@code "stdout"}, {@code "stderr"}). */
    public String logName() {
        return logName;
    }

    /** The stream a frame header's id names, if any. */
    public static Optional<StdStream> ofId(int id) {
        for (StdStream s : values()) {
            if (s.id == id) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The stream a log entry's {@code "stream"} field names, if any. */
    public static Optional<StdStream> ofLogName(String name) {
        for (StdStream s : values()) {
            if (s.logName.equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
