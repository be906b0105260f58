package berth.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/** {@link Syscalls} on the running Linux kernel (x86_64 system call numbers). */
public final class LinuxSyscalls implements Syscalls {
    // asm/unistd_64.h
    private static final long SYS_READ = 0, SYS_WRITE = 1, SYS_CLOSE = 3, SYS_IOCTL = 16, SYS_SOCKET = 41,
            SYS_CONNECT = 42, SYS_RECVMSG = 47, SYS_SOCKETPAIR = 53, SYS_WAIT4 = 61, SYS_KILL = 62, SYS_FCNTL = 72,
            SYS_GETEUID = 107, SYS_PRCTL = 157, SYS_OPENAT = 257, SYS_MKNODAT = 259, SYS_PIPE2 = 293,
            SYS_MEMFD_CREATE = 319;
    private static final long AT_FDCWD = -100;
    private static final int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_SEQPACKET = 5, SOCK_CLOEXEC = 0x80000;
    private static final int O_CLOEXEC = 0x80000, O_WRONLY = 1, MSG_CMSG_CLOEXEC = 0x40000000;
    private static final int MFD_CLOEXEC = 1, MFD_ALLOW_SEALING = 2;
    private static final int F_SETFD = 2, F_ADD_SEALS = 1033, FD_CLOEXEC = 1;
    private static final int SEALS = 1 | 2 | 4 | 8; // F_SEAL_SEAL | SHRINK | GROW | WRITE
    private static final int PR_SET_CHILD_SUBREAPER = 36, WNOHANG = 1, EINTR = 4, S_IFIFO = 0010000;
    private static final int SCM_RIGHTS = 1, SOL_SOCKET = 1;
    private static final long TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414, TCGETS = 0x5401, TCSETS = 0x5402;
    private static final int TERMIOS_SIZE = 36; // the kernel's struct termios

    /** Descriptors must be inheritable while a spawn runs; one spawn at a time keeps them from leaking into another. */
    private static final Object SPAWN_LOCK = new Object();

    private static long sys(Arena a, String what, long nr, long a1, long a2, long a3) {
        return Native.syscall(a, what, nr, a1, a2, a3, 0, 0, 0);
    }

    /** Retries a call interrupted by a signal. */
    private static long sysRetry(Arena a, String what, long nr, long a1, long a2, long a3, long a4) {
        while (true) {
            try {
                return Native.syscall(a, what, nr, a1, a2, a3, a4, 0, 0);
            } catch (SysException e) {
                if (e.errno() != EINTR) throw e;
            }
        }
    }

    @Override
    public int[] socketpair() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sv = a.allocate(JAVA_INT, 2);
            Native.syscall(a, "socketpair", SYS_SOCKETPAIR, AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv.address(), 0, 0);
            return new int[] {sv.getAtIndex(JAVA_INT, 0), sv.getAtIndex(JAVA_INT, 1)};
        }
    }

    @Override
    public Pipe pipe() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fds = a.allocate(JAVA_INT, 2);
            sys(a, "pipe2", SYS_PIPE2, fds.address(), O_CLOEXEC, 0);
            return new Pipe(fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1));
        }
    }

    @Override
    public int sealedMemfd(String name, byte[] content) {
        int fd;
        try (Arena a = Arena.ofConfined()) {
            fd = (int) sys(a, "memfd_create " + name, SYS_MEMFD_CREATE, a.allocateFrom(name).address(),
                    MFD_CLOEXEC | MFD_ALLOW_SEALING, 0);
        }
        try (Arena a = Arena.ofConfined()) {
            writeFully(fd, content);
            sys(a, "seal memfd " + name, SYS_FCNTL, fd, F_ADD_SEALS, SEALS);
            return fd;
        } catch (RuntimeException e) {
            close(fd);
            throw e;
        }
    }

    @Override
    public void writeFully(int fd, byte[] data) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(Math.max(1, data.length));
            MemorySegment.copy(data, 0, buf, JAVA_BYTE, 0, data.length);
            long off = 0;
            while (off < data.length) {
                off += sysRetry(a, "write fd " + fd, SYS_WRITE, fd, buf.address() + off, data.length - off, 0);
            }
        }
    }

    @Override
    public int read(int fd, byte[] dst) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(Math.max(1, dst.length));
            int n = (int) sysRetry(a, "read fd " + fd, SYS_READ, fd, buf.address(), dst.length, 0);
            MemorySegment.copy(buf, JAVA_BYTE, 0, dst, 0, n);
            return n;
        }
    }

    @Override
    public void close(int fd) {
        if (fd < 0) return;
        try (Arena a = Arena.ofConfined()) {
            sys(a, "close", SYS_CLOSE, fd, 0, 0);
        } catch (SysException ignored) {
            // close(2) failures leave nothing to retry
        }
    }

    /**
     * posix_spawn without file actions or attributes (each would cost a linked downcall): the descriptors
     * to pass are made inheritable for the moment of the spawn, under a lock so that no concurrent spawn
     * of ours inherits them too.
     */
    @Override
    public int spawn(String path, List<String> argv, List<String> env, Collection<Integer> inherit) {
        synchronized (SPAWN_LOCK) {
            List<Integer> sources = new ArrayList<>(inherit);
            try (Arena a = Arena.ofConfined()) {
                for (int fd : sources) if (fd > 2) sys(a, "fcntl F_SETFD", SYS_FCNTL, fd, F_SETFD, 0);
                MemorySegment pid = a.allocate(JAVA_INT);
                int err = Native.posixSpawn(pid, a.allocateFrom(path), strings(a, argv), strings(a, env));
                if (err != 0) throw new SysException("spawn " + path, err);
                return pid.get(JAVA_INT, 0);
            } finally {
                try (Arena a = Arena.ofConfined()) {
                    for (int fd : sources) {
                        if (fd > 2) {
                            try {
                                sys(a, "fcntl F_SETFD", SYS_FCNTL, fd, F_SETFD, FD_CLOEXEC);
                            } catch (SysException ignored) {
                                // the caller may pass the same descriptor twice
                            }
                        }
                    }
                }
            }
        }
    }

    @Override
    public Exit waitpid(int pid) {
        return doWait(pid, 0);
    }

    @Override
    public Exit tryWait(int pid) {
        return doWait(pid, WNOHANG);
    }

    private static Exit doWait(int pid, int options) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment status = a.allocate(JAVA_INT);
            int r = (int) sysRetry(a, "waitpid " + pid, SYS_WAIT4, pid, status.address(), options, 0);
            if (r == 0) return null;
            int s = status.get(JAVA_INT, 0);
            int sig = s & 0x7f;
            return sig == 0 ? new Exit(r, (s >> 8) & 0xff, 0) : new Exit(r, 0, sig);
        }
    }

    @Override
    public void kill(int pid, int signal) {
        try (Arena a = Arena.ofConfined()) {
            sys(a, "kill " + pid, SYS_KILL, pid, signal, 0);
        }
    }

    @Override
    public void setChildSubreaper() {
        try (Arena a = Arena.ofConfined()) {
            sys(a, "prctl PR_SET_CHILD_SUBREAPER", SYS_PRCTL, PR_SET_CHILD_SUBREAPER, 1, 0);
        }
    }

    @Override
    public void mkfifo(String path, int mode) {
        try (Arena a = Arena.ofConfined()) {
            sys(a, "mkfifo " + path, SYS_MKNODAT, AT_FDCWD, a.allocateFrom(path).address(), S_IFIFO | mode);
        }
    }

    @Override
    public int connectUnix(String path) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        if (p.length >= 108) throw new SysException("connect " + path, 36 /* ENAMETOOLONG */);
        try (Arena a = Arena.ofConfined()) {
            int fd = (int) sys(a, "socket", SYS_SOCKET, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
            MemorySegment addr = a.allocate(110);
            addr.set(JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(p, 0, addr, JAVA_BYTE, 2, p.length);
            try {
                sys(a, "connect " + path, SYS_CONNECT, fd, addr.address(), 110);
            } catch (SysException e) {
                close(fd);
                throw e;
            }
            return fd;
        }
    }

    @Override
    public ReceivedFd receiveFd(int socket) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment data = a.allocate(4096);
            MemorySegment iov = a.allocate(16, 8);
            iov.set(ADDRESS, 0, data);
            iov.set(JAVA_LONG, 8, 4096L);
            MemorySegment control = a.allocate(64, 8);
            MemorySegment msg = a.allocate(56, 8); // struct msghdr
            msg.set(ADDRESS, 16, iov);
            msg.set(JAVA_LONG, 24, 1L);
            msg.set(ADDRESS, 32, control);
            msg.set(JAVA_LONG, 40, 64L);
            int n = (int) sysRetry(a, "recvmsg", SYS_RECVMSG, socket, msg.address(), MSG_CMSG_CLOEXEC, 0);
            long controlLen = msg.get(JAVA_LONG, 40);
            // struct cmsghdr { size_t len; int level; int type; unsigned char data[]; }
            if (controlLen < 20 || control.get(JAVA_INT, 8) != SOL_SOCKET || control.get(JAVA_INT, 12) != SCM_RIGHTS) {
                throw new SysException("recvmsg: no file descriptor received", Errno.EINVAL);
            }
            byte[] payload = new byte[n];
            MemorySegment.copy(data, JAVA_BYTE, 0, payload, 0, n);
            return new ReceivedFd(control.get(JAVA_INT, 16), new String(payload, StandardCharsets.UTF_8));
        }
    }

    @Override
    public void writeFile(String path, String content) {
        try (Arena a = Arena.ofConfined()) {
            int fd = (int) sys(a, "open " + path, SYS_OPENAT, AT_FDCWD, a.allocateFrom(path).address(), O_WRONLY | O_CLOEXEC);
            try {
                byte[] b = content.getBytes(StandardCharsets.UTF_8);
                MemorySegment buf = a.allocate(Math.max(1, b.length));
                MemorySegment.copy(b, 0, buf, JAVA_BYTE, 0, b.length);
                long n = sys(a, "write " + path, SYS_WRITE, fd, buf.address(), b.length);
                if (n != b.length) throw new SysException("write " + path + ": short write", Errno.EIO);
            } finally {
                close(fd);
            }
        }
    }

    @Override
    public boolean isatty(int fd) {
        try (Arena a = Arena.ofConfined()) {
            sys(a, "ioctl TCGETS", SYS_IOCTL, fd, TCGETS, a.allocate(TERMIOS_SIZE).address());
            return true;
        } catch (SysException e) {
            return false;
        }
    }

    @Override
    public int[] windowSize(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ws = a.allocate(8, 2);
            sys(a, "ioctl TIOCGWINSZ", SYS_IOCTL, fd, TIOCGWINSZ, ws.address());
            return new int[] {Short.toUnsignedInt(ws.get(JAVA_SHORT, 0)), Short.toUnsignedInt(ws.get(JAVA_SHORT, 2))};
        }
    }

    @Override
    public void setWindowSize(int fd, int rows, int cols) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ws = a.allocate(8, 2);
            ws.set(JAVA_SHORT, 0, (short) rows);
            ws.set(JAVA_SHORT, 2, (short) cols);
            sys(a, "ioctl TIOCSWINSZ", SYS_IOCTL, fd, TIOCSWINSZ, ws.address());
        }
    }

    @Override
    public byte[] makeRaw(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment t = a.allocate(TERMIOS_SIZE, 4);
            sys(a, "tcgetattr", SYS_IOCTL, fd, TCGETS, t.address());
            byte[] saved = t.toArray(JAVA_BYTE);
            // cfmakeraw(3)
            t.set(JAVA_INT, 0, t.get(JAVA_INT, 0) & ~(01 | 02 | 010 | 040 | 0100 | 0200 | 0400 | 02000));
            t.set(JAVA_INT, 4, t.get(JAVA_INT, 4) & ~01);
            t.set(JAVA_INT, 8, (t.get(JAVA_INT, 8) & ~(060 | 0400)) | 060);
            t.set(JAVA_INT, 12, t.get(JAVA_INT, 12) & ~(010 | 0100 | 02 | 01 | 0100000));
            t.set(JAVA_BYTE, 17 + 6, (byte) 1); // VMIN
            t.set(JAVA_BYTE, 17 + 5, (byte) 0); // VTIME
            sys(a, "tcsetattr", SYS_IOCTL, fd, TCSETS, t.address());
            return saved;
        }
    }

    @Override
    public void restoreTerminal(int fd, byte[] saved) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment t = a.allocate(TERMIOS_SIZE, 4);
            MemorySegment.copy(saved, 0, t, JAVA_BYTE, 0, Math.min(saved.length, TERMIOS_SIZE));
            sys(a, "tcsetattr", SYS_IOCTL, fd, TCSETS, t.address());
        }
    }

    @Override
    public int geteuid() {
        try (Arena a = Arena.ofConfined()) {
            return (int) sys(a, "geteuid", SYS_GETEUID, 0, 0, 0);
        }
    }

    private static MemorySegment strings(Arena a, List<String> list) {
        MemorySegment arr = a.allocate(ADDRESS, list.size() + 1L);
        for (int i = 0; i < list.size(); i++) arr.setAtIndex(ADDRESS, i, a.allocateFrom(list.get(i)));
        arr.setAtIndex(ADDRESS, list.size(), MemorySegment.NULL);
        return arr;
    }
}
