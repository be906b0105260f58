package berth.runtime.spec;

/** A configuration that cannot be run; the message is one line naming the field and the problem. */
public final class InvalidSpecException extends RuntimeException {
    public InvalidSpecException(String message) {
        super(message);
    }
}
