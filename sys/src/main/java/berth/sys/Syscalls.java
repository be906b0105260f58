package berth.sys;

/**
 * The system calls berth's Java side makes, typed. File descriptors are plain ints owned by the caller.
 * Every method throws {@link SysException} naming the operation, its subject and the errno.
 *
 * <p>The container start path needs none of these: the executor is started with the JDK's process API and
 * takes what it needs itself (see executor.c), because each native call linked costs start-up time.
 */
public interface Syscalls {

    /** A file descriptor received over a unix socket, with the bytes that came with it. */
    record ReceivedFd(int fd, String payload) {}

    void writeFully(int fd, byte[] data);

    /** Reads up to {@code buf.length} bytes; 0 at end of file. */
    int read(int fd, byte[] buf);

    void close(int fd);

    void kill(int pid, int signal);

    /** A close-on-exec SOCK_STREAM unix socket listening at {@code path}. */
    int listenUnix(String path);

    /** Accepts one connection (close-on-exec). */
    int accept(int listener);

    /** Receives one descriptor sent with SCM_RIGHTS. */
    ReceivedFd receiveFd(int socket);

    /** Writes {@code content} to an existing file with one write(2), as /proc files such as uid_map require. */
    void writeFile(String path, String content);

    /**
     * Loads an eBPF program of type BPF_PROG_TYPE_CGROUP_DEVICE ({@code program}: its instructions) and
     * attaches it to the cgroup v2 directory {@code cgroupDir} (BPF_F_ALLOW_MULTI).
     */
    void attachDeviceFilter(String cgroupDir, byte[] program);

    boolean isatty(int fd);

    /** {rows, cols} of the terminal on fd. */
    int[] windowSize(int fd);

    void setWindowSize(int fd, int rows, int cols);

    /** Puts the terminal on fd into raw mode; returns the previous settings for {@link #restoreTerminal}. */
    byte[] makeRaw(int fd);

    void restoreTerminal(int fd, byte[] saved);
}
