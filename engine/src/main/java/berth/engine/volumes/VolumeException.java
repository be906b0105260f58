package berth.engine.volumes;

/** A volume operation failed; the message is one line saying what and why. */
public class VolumeException extends RuntimeException {
    public VolumeException(String message) {
        super(message);
    }

    public VolumeException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The volume does not exist (or the driver asked for). */
    public static final class NotFound extends VolumeException {
        public NotFound(String message) {
            super(message);
        }
    }

    /** The operation conflicts with current state: the volume is in use. */
    public static final class Conflict extends VolumeException {
        public Conflict(String message) {
            super(message);
        }
    }

    /** The request itself is wrong: a malformed name, an unknown driver option, a bad filter. */
    public static final class Invalid extends VolumeException {
        public Invalid(String message) {
            super(message);
        }
    }
}
