package berth.runtime.cli;

/** The command line itself is wrong; exit status 2 with one line. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
