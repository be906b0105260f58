package berth.cli.client;

/** Nothing answers at the daemon's address (no socket there, or nobody listening). */
public final class DaemonUnreachableException extends RuntimeException {
    public DaemonUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
