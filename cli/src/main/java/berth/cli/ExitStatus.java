package berth.cli;

/**
 * Ends a command with a given exit status and, unless null, one line on stderr: a container's exit code,
 * or 125 when {@code run} itself failed, as the docker CLI exits.
 */
final class ExitStatus extends RuntimeException {
    private final int status;

    ExitStatus(int status, String line) {
        this(status, line, null);
    }

    ExitStatus(int status, String line, Throwable cause) {
        super(line, cause);
        this.status = status;
    }

    int status() {
        return status;
    }
}
