package berth.engine.http;

/**
 * An error answer of the API: an HTTP status and the one-line message that clients show, sent as
 * {@code {"message":"..."}}.
 */
public class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public ApiException(int status, String message) {
        this(status, message, null);
    }

    public ApiException(int status, String message, Throwable cause) {
        super(message, cause);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an API error needs a 4xx or 5xx status, not " + status);
        }
        this.status = status;
    }

    public int status() {
        return status;
    }
}
