package berth.sys;

/**
 * A failed system call: what was attempted, on what, and the errno the kernel returned. The message is
 * one line, e.g. {@code mount proc on /proc: EPERM (Operation not permitted)}.
 */
public final class SysException extends RuntimeException {
    private final String operation;
    private final int errno;

    public SysException(String operation, int errno) {
        super(operation + ": " + Errno.describe(errno));
        this.operation = operation;
        this.errno = errno;
    }

    /** The operation with its subject, e.g. {@code open /run/x}. */
    public String operation() {
        return operation;
    }

    public int errno() {
        return errno;
    }
}
