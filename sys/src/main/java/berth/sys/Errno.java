package berth.sys;

import java.util.Map;

/** errno names and descriptions, as {@code strerrorname_np(3)} and {@code strerror(3)} give them. */
public final class Errno {
    public static final int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, EBADF = 9, ECHILD = 10,
            EAGAIN = 11, ENOMEM = 12, EACCES = 13, EEXIST = 17, ENOTDIR = 20, EISDIR = 21, EINVAL = 22,
            ENOSPC = 28, EPIPE = 32, ENOSYS = 38, ENOTEMPTY = 39, ELOOP = 40, ETIMEDOUT = 110, EBUSY = 16;

    // A fallback for the few names we need when the C library cannot be asked (the recording fake).
    private static final Map<Integer, String[]> KNOWN = Map.of(
            EPERM, new String[] {"EPERM", "Operation not permitted"},
            ENOENT, new String[] {"ENOENT", "No such file or directory"},
            ESRCH, new String[] {"ESRCH", "No such process"},
            EACCES, new String[] {"EACCES", "Permission denied"},
            EEXIST, new String[] {"EEXIST", "File exists"},
            EINVAL, new String[] {"EINVAL", "Invalid argument"},
            EBUSY, new String[] {"EBUSY", "Device or resource busy"},
            ENOTDIR, new String[] {"ENOTDIR", "Not a directory"});

    private Errno() {}

    /** {@code EPERM (Operation not permitted)}. */
    public static String describe(int errno) {
        return name(errno) + " (" + message(errno) + ")";
    }

    public static String name(int errno) {
        String n = Native.errnoName(errno);
        if (n != null) return n;
        String[] k = KNOWN.get(errno);
        return k != null ? k[0] : "errno " + errno;
    }

    public static String message(int errno) {
        String m = Native.strerror(errno);
        if (m != null) return m;
        String[] k = KNOWN.get(errno);
        return k != null ? k[1] : "unknown error";
    }
}
