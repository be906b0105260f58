package berth.sys;

import java.util.Collection;
import java.util.List;

/**
 * The system calls berth's Java side makes, typed. File descriptors are plain ints owned by the caller.
 * Every method throws {@link SysException} naming the operation, its subject and the errno.
 */
public interface Syscalls {

    /** How a child ended. {@code signal} is non-zero when it was killed by a signal. */
    record Exit(int pid, int code, int signal) {
        /** The status a shell would report: the exit code, or 128 + the signal number. */
        public int status() {
            return signal != 0 ? 128 + signal : code;
        }
    }

    /** Both ends of a pipe. */
    record Pipe(int read, int write) {}

    /** A file descriptor received over a unix socket, with the bytes that came with it. */
    record ReceivedFd(int fd, String payload) {}

    /** A connected pair of close-on-exec SOCK_SEQPACKET unix sockets. */
    int[] socketpair();

    /** A close-on-exec pipe. */
    Pipe pipe();

    /** A close-on-exec memfd holding {@code content}, sealed against any further change. */
    int sealedMemfd(String name, byte[] content);

    void writeFully(int fd, byte[] data);

    /** Reads up to {@code buf.length} bytes (one packet on a SEQPACKET socket); 0 at end of file. */
    int read(int fd, byte[] buf);

    void close(int fd);

    /**
     * Starts {@code path} with posix_spawn. The descriptors in {@code inherit} reach the child at their
     * current numbers (besides 0-2); every other descriptor is left to its close-on-exec flag. The child
     * inherits this thread's signal mask: berth only spawns its executor, which resets it. Returns the pid.
     */
    int spawn(String path, List<String> argv, List<String> env, Collection<Integer> inherit);

    /** Waits for a child to end (retrying on EINTR). */
    Exit waitpid(int pid);

    /** The child's exit if it has ended, else null; never blocks. */
    Exit tryWait(int pid);

    void kill(int pid, int signal);

    /** Makes this process the reaper of orphaned descendants (PR_SET_CHILD_SUBREAPER). */
    void setChildSubreaper();

    void mkfifo(String path, int mode);

    /** A close-on-exec SOCK_STREAM unix socket connected to {@code path}. */
    int connectUnix(String path);

    /** Receives one descriptor sent with SCM_RIGHTS. */
    ReceivedFd receiveFd(int socket);

    /** Writes {@code content} to an existing file with one write(2), as /proc files such as uid_map require. */
    void writeFile(String path, String content);

    boolean isatty(int fd);

    /** {rows, cols} of the terminal on fd. */
    int[] windowSize(int fd);

    void setWindowSize(int fd, int rows, int cols);

    /** Puts the terminal on fd into raw mode; returns the previous settings for {@link #restoreTerminal}. */
    byte[] makeRaw(int fd);

    void restoreTerminal(int fd, byte[] saved);

    int geteuid();
}
