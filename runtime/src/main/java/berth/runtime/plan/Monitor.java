package berth.runtime.plan;

import java.nio.file.Path;

/**
 * What the executor does once it has cloned the process (CLONE's monitor mode and status path, see
 * executor.c): leave it to the caller ({@code create}), stay its parent in the foreground (run and exec
 * without -d: signals forwarded, the executor exits with the process's status), or stay its parent apart
 * from the runtime (a daemon's container: a session of its own, the status written to {@code statusFile},
 * a terminal's master kept for a runtime that comes back, stdout, stderr and the master drained before it
 * exits).
 *
 * @param statusFile where a detached monitor writes the exit status; "" for none
 */
public record Monitor(Mode mode, String statusFile) {
    /** The monitor modes; {@code wire} is the executor's number for each. */
    public enum Mode {
        NONE(0), FOREGROUND(1), DETACHED(2);

        final long wire;

        Mode(long wire) {
            this.wire = wire;
        }
    }

    public static final Monitor NONE = new Monitor(Mode.NONE, ""), FOREGROUND = new Monitor(Mode.FOREGROUND, "");

    public Monitor {
        if (statusFile == null || !statusFile.isEmpty() && mode != Mode.DETACHED) {
            throw new IllegalArgumentException("a status file goes with a detached monitor only, not " + mode);
        }
    }

    /** A detached monitor that writes the exit status to {@code statusFile} (absolute), or to none if null. */
    public static Monitor detached(Path statusFile) {
        return new Monitor(Mode.DETACHED, statusFile == null ? "" : statusFile.toAbsolutePath().toString());
    }
}
