package berth.cgroups;

/** A cgroup operation failed; the message is one line naming the file and the reason. */
public final class CgroupException extends RuntimeException {
    public CgroupException(String message) {
        super(message);
    }

    public CgroupException(String message, Throwable cause) {
        super(message, cause);
    }
}
