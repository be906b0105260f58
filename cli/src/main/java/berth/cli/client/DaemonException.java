package berth.cli.client;

/** The daemon answered with an error status; the message is the daemon's own ({@code {"message": ...}}). */
public final class DaemonException extends RuntimeException {
    private final int status;

    public DaemonException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status: 404 no such object, 409 conflict, 400 bad parameter, 500 server error. */
    public int status() {
        return status;
    }

    public boolean notFound() {
        return status == 404;
    }
}
