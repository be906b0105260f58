package berth.engine;

/**
 * A failure of an engine operation that the API reports with a status of its own: {@link NotFound} (404),
 * {@link Conflict} (409), {@link Invalid} (400), {@link NotModified} (304), {@link Unauthorized} (401), {@link Forbidden} (403). Anything else is a 500.
 */
public class EngineException extends RuntimeException {
    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }

    /** No such container, exec instance or file. */
    public static final class NotFound extends EngineException {
        public NotFound(String message) {
            super(message);
        }
    }

    /** The object exists but its state forbids the operation (a running container removed without force). */
    public static final class Conflict extends EngineException {
        public Conflict(String message) {
            super(message);
        }
    }

    /** The request itself is wrong. */
    public static final class Invalid extends EngineException {
        public Invalid(String message) {
            super(message);
        }
    }

    /** Nothing to do: the container is already started or already stopped. */
    public static final class NotModified extends EngineException {
        public NotModified(String message) {
            super(message);
        }
    }

    /** The registry refused the credentials (login). */
    public static final class Unauthorized extends EngineException {
        public Unauthorized(String message) {
            super(message);
        }
    }

    /** An operation that is never allowed on this object (removing a predefined network). */
    public static final class Forbidden extends EngineException {
        public Forbidden(String message) {
            super(message);
        }
    }
}
