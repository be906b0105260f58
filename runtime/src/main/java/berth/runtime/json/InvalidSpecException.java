package berth.runtime.json;

/** A configuration that cannot be run; the message is one line naming the field and the problem. */
public final class InvalidSpecException extends IllegalArgumentException {
    public InvalidSpecException(String message) {
        super(message);
    }
}
