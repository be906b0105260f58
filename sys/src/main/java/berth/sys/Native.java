package berth.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The C library functions berth calls, each linked once. Package-private: nothing outside this package
 * sees a MethodHandle or a MemorySegment. Each handle carries its C prototype as a comment; those that
 * set errno capture it.
 */
final class Native {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_OPT = Linker.Option.captureCallState("errno");

    private static final Throwable UNAVAILABLE;

    // char *strerrorname_np(int errnum);
    static final MethodHandle STRERRORNAME = plain("strerrorname_np", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    // char *strerror(int errnum);
    static final MethodHandle STRERROR = plain("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    // int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
    //                 const posix_spawnattr_t *attr, char *const argv[], char *const envp[]);
    static final MethodHandle POSIX_SPAWN = plain("posix_spawn",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    // int posix_spawn_file_actions_init(posix_spawn_file_actions_t *fa);
    static final MethodHandle FA_INIT = plain("posix_spawn_file_actions_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    // int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *fa);
    static final MethodHandle FA_DESTROY = plain("posix_spawn_file_actions_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    // int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *fa, int fd, int newfd);
    static final MethodHandle FA_DUP2 = plain("posix_spawn_file_actions_adddup2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    // int posix_spawn_file_actions_addclose(posix_spawn_file_actions_t *fa, int fd);
    static final MethodHandle FA_CLOSE = plain("posix_spawn_file_actions_addclose",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    // int posix_spawnattr_init(posix_spawnattr_t *attr);
    static final MethodHandle ATTR_INIT = plain("posix_spawnattr_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    // int posix_spawnattr_destroy(posix_spawnattr_t *attr);
    static final MethodHandle ATTR_DESTROY = plain("posix_spawnattr_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    // int posix_spawnattr_setflags(posix_spawnattr_t *attr, short flags);
    static final MethodHandle ATTR_SETFLAGS = plain("posix_spawnattr_setflags",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
    // int posix_spawnattr_setsigmask(posix_spawnattr_t *attr, const sigset_t *mask);
    static final MethodHandle ATTR_SIGMASK = plain("posix_spawnattr_setsigmask", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    // int posix_spawnattr_setsigdefault(posix_spawnattr_t *attr, const sigset_t *sigdefault);
    static final MethodHandle ATTR_SIGDEFAULT = plain("posix_spawnattr_setsigdefault", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    // int sigfillset(sigset_t *set);
    static final MethodHandle SIGFILLSET = plain("sigfillset", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    // int sigemptyset(sigset_t *set);
    static final MethodHandle SIGEMPTYSET = plain("sigemptyset", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    // pid_t waitpid(pid_t pid, int *status, int options);
    static final MethodHandle WAITPID = errno("waitpid", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    // int kill(pid_t pid, int sig);
    static final MethodHandle KILL = errno("kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    // int prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4, unsigned long arg5);
    static final MethodHandle PRCTL = errno("prctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), 1);
    // int socketpair(int domain, int type, int protocol, int sv[2]);
    static final MethodHandle SOCKETPAIR = errno("socketpair", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    // int pipe2(int pipefd[2], int flags);
    static final MethodHandle PIPE2 = errno("pipe2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    // int memfd_create(const char *name, unsigned int flags);
    static final MethodHandle MEMFD_CREATE = errno("memfd_create", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    // int fcntl(int fd, int cmd, ... /* int arg */);
    static final MethodHandle FCNTL = errno("fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), 2);
    // ssize_t read(int fd, void *buf, size_t count);
    static final MethodHandle READ = errno("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    // ssize_t write(int fd, const void *buf, size_t count);
    static final MethodHandle WRITE = errno("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    // int close(int fd);
    static final MethodHandle CLOSE = errno("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    // int open(const char *path, int flags, ... /* mode_t mode */);
    static final MethodHandle OPEN = errno("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), 2);
    // int mkfifo(const char *path, mode_t mode);
    static final MethodHandle MKFIFO = errno("mkfifo", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    // int socket(int domain, int type, int protocol);
    static final MethodHandle SOCKET = errno("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    // int connect(int fd, const struct sockaddr *addr, socklen_t len);
    static final MethodHandle CONNECT = errno("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    // ssize_t recvmsg(int fd, struct msghdr *msg, int flags);
    static final MethodHandle RECVMSG = errno("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    // int ioctl(int fd, unsigned long request, ...);
    static final MethodHandle IOCTL = errno("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), 2);
    // int isatty(int fd);
    static final MethodHandle ISATTY = plain("isatty", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    // int tcgetattr(int fd, struct termios *t);
    static final MethodHandle TCGETATTR = errno("tcgetattr", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    // int tcsetattr(int fd, int actions, const struct termios *t);
    static final MethodHandle TCSETATTR = errno("tcsetattr", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    // void cfmakeraw(struct termios *t);
    static final MethodHandle CFMAKERAW = plain("cfmakeraw", FunctionDescriptor.ofVoid(ADDRESS));
    // uid_t geteuid(void);
    static final MethodHandle GETEUID = plain("geteuid", FunctionDescriptor.of(JAVA_INT));

    static {
        Throwable cause = null;
        try {
            LIBC.find("strerrorname_np").orElseThrow();
        } catch (Throwable t) {
            cause = t;
        }
        UNAVAILABLE = cause;
    }

    private Native() {}

    static boolean available() {
        return UNAVAILABLE == null && STRERROR != null;
    }

    private static MethodHandle plain(String name, FunctionDescriptor fd) {
        return LIBC.find(name).map(a -> LINKER.downcallHandle(a, fd)).orElse(null);
    }

    private static MethodHandle errno(String name, FunctionDescriptor fd) {
        return LIBC.find(name).map(a -> LINKER.downcallHandle(a, fd, ERRNO_OPT)).orElse(null);
    }

    private static MethodHandle errno(String name, FunctionDescriptor fd, int firstVariadic) {
        return LIBC.find(name)
                .map(a -> LINKER.downcallHandle(a, fd, ERRNO_OPT, Linker.Option.firstVariadicArg(firstVariadic)))
                .orElse(null);
    }

    static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }

    static MemorySegment capture(Arena arena) {
        return arena.allocate(CAPTURE);
    }

    static String errnoName(int errno) {
        try {
            MemorySegment p = (MemorySegment) STRERRORNAME.invokeExact(errno);
            return p.equals(MemorySegment.NULL) ? null : p.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return null;
        }
    }

    static String strerror(int errno) {
        try {
            MemorySegment p = (MemorySegment) STRERROR.invokeExact(errno);
            return p.equals(MemorySegment.NULL) ? null : p.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            return null;
        }
    }

    static final ValueLayout.OfInt INT = JAVA_INT;
}
