package berth.sys;

import java.util.List;
import java.util.function.Supplier;

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

    /** A close-on-exec pidfd for process {@code pid} (pidfd_open(2)); it keeps naming that process even if the pid is reused. */
    int pidfdOpen(int pid);

    /**
     * A close-on-exec copy of descriptor {@code targetFd} of the process behind {@code pidfd} (pidfd_getfd(2)):
     * the same open file. Needs ptrace access to the process (CAP_SYS_PTRACE for a non-dumpable one).
     */
    int pidfdGetfd(int pidfd, int targetFd);

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

    // Event loops: what the engine's one I/O thread needs to watch many pipes at once (epoll(7), eventfd(2)).

    /** Readiness for reading, in {@link #epollAdd} and {@link EpollEvent#events()}. */
    int EPOLLIN = 0x001;
    /** An error condition; always reported, whether asked for or not. */
    int EPOLLERR = 0x008;
    /** Hang-up (a pipe's last writer or a terminal's slave side is gone); always reported. */
    int EPOLLHUP = 0x010;
    /** What {@link #readNonBlocking} returns when nothing is there to read yet (EAGAIN). */
    int WOULD_BLOCK = -1;

    /** One ready descriptor from {@link #epollWait}: the token it was registered with and its EPOLL* events. */
    record EpollEvent(long token, int events) {}

    /** A close-on-exec epoll instance: {@code epoll_create1(EPOLL_CLOEXEC)}. */
    int epollCreate();

    /** Watches {@code fd} (level-triggered) for {@code events}, reported with {@code token}: {@code EPOLL_CTL_ADD}. */
    void epollAdd(int epfd, int fd, int events, long token);

    /** Changes what {@code fd} is watched for ({@code events} 0: nothing but errors and hang-ups): {@code EPOLL_CTL_MOD}. */
    void epollModify(int epfd, int fd, int events, long token);

    /** Stops watching {@code fd}: {@code EPOLL_CTL_DEL}. */
    void epollDelete(int epfd, int fd);

    /**
     * Waits up to {@code timeoutMillis} (-1: without limit, 0: not at all) until at least one watched descriptor
     * is ready and returns at most {@code maxEvents} of them: {@code epoll_wait}. Empty on timeout, and when a
     * signal interrupted the wait (EINTR).
     */
    List<EpollEvent> epollWait(int epfd, int maxEvents, int timeoutMillis);

    /**
     * A close-on-exec, non-blocking event counter starting at 0, to wake an epoll loop: {@code eventfd2(0,
     * EFD_CLOEXEC | EFD_NONBLOCK)}. Writing 8 bytes (a native-endian count) makes it readable; reading 8 bytes
     * takes the count back to 0.
     */
    int eventFd();

    /**
     * Opens {@code path} for reading without blocking, close-on-exec: {@code open(path, O_RDONLY | O_NONBLOCK |
     * O_CLOEXEC)}. A named pipe's read end opens at once, writer or not; it reads end of file while it has no
     * writer and {@link #WOULD_BLOCK} while its writers have written nothing.
     */
    int openNonBlocking(String path);

    /**
     * Reads up to {@code len} bytes into {@code buf[off, off+len)}: the count, 0 at end of file, or
     * {@link #WOULD_BLOCK} when the descriptor is non-blocking and nothing is there yet (EAGAIN).
     */
    int readNonBlocking(int fd, byte[] buf, int off, int len);

    /** A close-on-exec duplicate of {@code fd}, sharing its open file: {@code fcntl(fd, F_DUPFD_CLOEXEC, 0)}. */
    int dup(int fd);

    // File systems: what unpacking image layers and mounting their snapshots need. Paths are absolute or
    // relative to the working directory; none of these follows a symbolic link in the last component.

    /**
     * Creates a device node or a fifo: {@code mknodat(AT_FDCWD, path, mode, makedev(major, minor))}.
     * {@code mode} carries the type bits (S_IFCHR 0020000, S_IFBLK 0060000, S_IFIFO 0010000) and the
     * permissions, which the umask trims. Major numbers up to 4095 and minor numbers up to 2^20 - 1.
     */
    void mknod(String path, int mode, int major, int minor);

    /**
     * Sets all twelve mode bits (setuid, setgid and sticky included) of {@code path} itself:
     * {@code fchmodat2(AT_FDCWD, path, mode, AT_SYMLINK_NOFOLLOW)} (Linux 6.6), which fails with EOPNOTSUPP
     * on a symbolic link rather than changing its target. (The JDK's {@code unix:mode} attribute with
     * NOFOLLOW_LINKS changes the target of a symbolic link.)
     */
    void lchmod(String path, int mode);

    /** Sets an extended attribute on {@code path} itself: {@code lsetxattr(path, name, value, size, 0)}. */
    void lsetxattr(String path, String name, byte[] value);

    /** The value of an extended attribute of {@code path} itself, or null if it has none of that name (ENODATA). */
    byte[] lgetxattr(String path, String name);

    /** The names of the extended attributes of {@code path} itself, in the order the file system lists them. */
    List<String> llistxattr(String path);

    /**
     * Sets the access and modification times of {@code path} itself, in nanoseconds since the epoch:
     * {@code utimensat(AT_FDCWD, path, times, AT_SYMLINK_NOFOLLOW)}.
     */
    void lutimes(String path, long atimeNanos, long mtimeNanos);

    /** {@code mount(source, target, fstype, flags, data)}; {@code data} may be null. */
    void mount(String source, String target, String fstype, long flags, String data);

    /** {@code umount2(target, flags)}, e.g. MNT_DETACH (2). */
    void umount(String target, int flags);

    /**
     * Mounts an overlay file system at {@code target} with the new mount API, one {@code lowerdir+} per lower
     * directory, so the number of layers is not limited by mount(2)'s one page of options, and no path needs
     * escaping. {@code lowerDirs} run from the topmost to the bottom one, as in {@code lowerdir=top:...:bottom}.
     * With a null {@code upperDir} (and {@code workDir}) the overlay is read-only and needs at least two lower
     * directories (bind-mount a single one instead). The kernel takes at most 500 lower directories. A failure
     * carries the kernel's own explanation from the file system context when it gave one.
     */
    void mountOverlay(String target, List<String> lowerDirs, String upperDir, String workDir);

    /**
     * Runs {@code action} on a new platform thread that has joined the network namespace at {@code netnsPath}
     * ({@code setns(open(netnsPath), CLONE_NEWNET)}) and returns what it returned. Sockets the action opens stay in that
     * namespace. The thread goes back to its own namespace before it ends; the caller's thread never leaves its own.
     * An exception of the action is rethrown as it is.
     */
    <T> T inNetworkNamespace(String netnsPath, Supplier<T> action);

    /**
     * Makes a new, empty network namespace and keeps it alive by bind-mounting it onto {@code bindPath} (an
     * existing file), as {@code ip netns add} does: on a new platform thread, {@code unshare(CLONE_NEWNET)},
     * then {@code mount --bind /proc/thread-self/ns/net bindPath}. The caller's thread never leaves its own
     * namespace. Unmount the file (MNT_DETACH) to let the namespace go.
     */
    void newNetworkNamespace(String bindPath);
}
