package berth.runtime;

import berth.sys.Errno;

/** The executor failed an operation of its plan. */
public final class LaunchException extends RuntimeError {
    private final int errno;

    public LaunchException(String operation, int errno) {
        super(operation + ": " + Errno.describe(errno));
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
