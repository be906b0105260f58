package berth.cli;

/** The command line itself is wrong; printed with a hint to {@code --help}. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
