package berth.image;

/** An image operation failed; the message is one line saying what and why. */
public class ImageException extends RuntimeException {
    public ImageException(String message) {
        super(message);
    }

    public ImageException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The named thing does not exist (an image, a blob, a tag). */
    public static final class NotFound extends ImageException {
        public NotFound(String message) {
            super(message);
        }
    }

    /** The operation conflicts with current state (an image in use, a tag that exists). */
    public static final class Conflict extends ImageException {
        public Conflict(String message) {
            super(message);
        }
    }
}
