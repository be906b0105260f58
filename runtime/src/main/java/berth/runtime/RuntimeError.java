package berth.runtime;

/** A failure to report to the user as one line: what failed and why. */
public class RuntimeError extends RuntimeException {
    public RuntimeError(String message) {
        super(message);
    }

    public RuntimeError(String message, Throwable cause) {
        super(message, cause);
    }
}
