package berth.network;

/** A network operation failed; the message is one line saying what and why. */
public class NetworkException extends RuntimeException {
    public NetworkException(String message) {
        super(message);
    }

    public NetworkException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The named thing does not exist (a network, an endpoint). */
    public static final class NotFound extends NetworkException {
        public NotFound(String message) {
            super(message);
        }
    }

    /** The operation conflicts with current state (a name taken, a network in use, a port allocated). */
    public static final class Conflict extends NetworkException {
        public Conflict(String message) {
            super(message);
        }
    }

    /** The request itself is wrong (a malformed subnet, an address outside the subnet). */
    public static final class Invalid extends NetworkException {
        public Invalid(String message) {
            super(message);
        }
    }
}
