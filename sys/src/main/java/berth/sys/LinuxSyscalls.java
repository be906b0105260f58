package berth.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/** {@link Syscalls} on the running Linux kernel. */
public final class LinuxSyscalls implements Syscalls {
    private static final int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_SEQPACKET = 5, SOCK_CLOEXEC = 0x80000;
    private static final int O_CLOEXEC = 0x80000, O_WRONLY = 1;
    private static final int MFD_CLOEXEC = 1, MFD_ALLOW_SEALING = 2;
    private static final int F_ADD_SEALS = 1033, F_SEAL_SEAL = 1, F_SEAL_SHRINK = 2, F_SEAL_GROW = 4, F_SEAL_WRITE = 8;
    private static final int PR_SET_CHILD_SUBREAPER = 36, WNOHANG = 1;
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04, POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final int SCM_RIGHTS = 1, SOL_SOCKET = 1;
    private static final long TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414;
    private static final int TERMIOS_SIZE = 60, TCSANOW = 0;
    private static final int SPAWN_SCRATCH_FD = 1000;

    @Override
    public int[] socketpair() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sv = a.allocate(JAVA_INT, 2), c = Native.capture(a);
            int r = (int) Native.SOCKETPAIR.invokeExact(c, AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv);
            check(r, c, "socketpair");
            return new int[] {sv.getAtIndex(JAVA_INT, 0), sv.getAtIndex(JAVA_INT, 1)};
        } catch (SysException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public Pipe pipe() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fds = a.allocate(JAVA_INT, 2), c = Native.capture(a);
            int r = (int) Native.PIPE2.invokeExact(c, fds, O_CLOEXEC);
            check(r, c, "pipe2");
            return new Pipe(fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1));
        } catch (SysException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int sealedMemfd(String name, byte[] content) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = Native.capture(a);
            int fd = (int) Native.MEMFD_CREATE.invokeExact(c, a.allocateFrom(name), MFD_CLOEXEC | MFD_ALLOW_SEALING);
            check(fd, c, "memfd_create " + name);
            try {
                writeFully(fd, content);
                int r = (int) Native.FCNTL.invokeExact(c, fd, F_ADD_SEALS,
                        F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE);
                check(r, c, "seal memfd " + name);
                return fd;
            } catch (RuntimeException e) {
                close(fd);
                throw e;
            }
        } catch (SysException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public void writeFully(int fd, byte[] data) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(Math.max(1, data.length)), c = Native.capture(a);
            MemorySegment.copy(data, 0, buf, JAVA_BYTE, 0, data.length);
            long off = 0;
            while (off < data.length) {
                long n = (long) Native.WRITE.invokeExact(c, fd, buf.asSlice(off), (long) data.length - off);
                if (n < 0 && Native.errno(c) == Errno.EINTR) continue;
                check(n, c, "write fd " + fd);
                off += n;
            }
        } catch (SysException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int read(int fd, byte[] dst) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(Math.max(1, dst.length)), c = Native.capture(a);
            long n;
            do {
                n = (long) Native.READ.invokeExact(c, fd, buf, (long) dst.length);
            } while (n < 0 && Native.errno(c) == Errno.EINTR);
            check(n, c, "read fd " + fd);
            MemorySegment.copy(buf, JAVA_BYTE, 0, dst, 0, (int) n);
            return (int) n;
        } catch (SysException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public void close(int fd) {
        if (fd < 0) return;
        try (Arena a = Arena.ofConfined()) {
            int r = (int) Native.CLOSE.invokeExact(Native.capture(a), fd);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int spawn(String path, List<String> argv, List<String> env, Map<Integer, Integer> childFds) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fa = a.allocate(256, 16), attr = a.allocate(512, 16);
            MemorySegment sigs = a.allocate(128, 8), none = a.allocate(128, 8), pid = a.allocate(JAVA_INT);
            require((int) Native.FA_INIT.invokeExact(fa), "posix_spawn_file_actions_init");
            require((int) Native.ATTR_INIT.invokeExact(attr), "posix_spawnattr_init");
            try {
                // Two passes so that no target number clobbers a source still to be copied.
                int scratch = SPAWN_SCRATCH_FD;
                for (var e : childFds.entrySet()) {
                    require((int) Native.FA_DUP2.invokeExact(fa, e.getValue().intValue(), scratch++), "posix_spawn_file_actions_adddup2");
                }
                scratch = SPAWN_SCRATCH_FD;
                for (var e : childFds.entrySet()) {
                    require((int) Native.FA_DUP2.invokeExact(fa, scratch, e.getKey().intValue()), "posix_spawn_file_actions_adddup2");
                    require((int) Native.FA_CLOSE.invokeExact(fa, scratch++), "posix_spawn_file_actions_addclose");
                }
                int r = (int) Native.SIGFILLSET.invokeExact(sigs);
                r = (int) Native.SIGEMPTYSET.invokeExact(none);
                require((int) Native.ATTR_SIGDEFAULT.invokeExact(attr, sigs), "posix_spawnattr_setsigdefault");
                require((int) Native.ATTR_SIGMASK.invokeExact(attr, none), "posix_spawnattr_setsigmask");
                require((int) Native.ATTR_SETFLAGS.invokeExact(attr, (short) (POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)),
                        "posix_spawnattr_setflags");
                int err = (int) Native.POSIX_SPAWN.invokeExact(pid, a.allocateFrom(path), fa, attr,
                        strings(a, argv), strings(a, env));
                if (err != 0) throw new SysException("spawn " + path, err);
                return pid.get(JAVA_INT, 0);
            } finally {
                int r1 = (int) Native.FA_DESTROY.invokeExact(fa);
                int r2 = (int) Native.ATTR_DESTROY.invokeExact(attr);
            }
        } catch (SysException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
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
            MemorySegment status = a.allocate(JAVA_INT), c = Native.capture(a);
            int r;
            do {
                r = (int) Native.WAITPID.invokeExact(c, pid, status, options);
            } while (r < 0 && Native.errno(c) == Errno.EINTR);
            check(r, c, "waitpid " + pid);
            if (r == 0) return null;
            int s = status.get(JAVA_INT, 0);
            int sig = s & 0x7f;
            return sig == 0 ? new Exit(r, (s >> 8) & 0xff, 0) : new Exit(r, 0, sig);
        } catch (SysException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public void kill(int pid, int signal) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = Native.capture(a);
            int r = (int) Native.KILL.invokeExact(c, pid, signal);
            check(r, c, "kill " + pid);
        } catch (SysException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public void setChildSubreaper() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = Native.capture(a);
            int r = (int) Native.PRCTL.invokeExact(c, PR_SET_CHILD_SUBREAPER, 1L, 0L, 0L, 0L);
            check(r, c, "prctl PR_SET_CHILD_SUBREAPER");
        } catch (SysException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public void mkfifo(String path, int mode) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = Native.capture(a);
            int r = (int) Native.MKFIFO.invokeExact(c, a.allocateFrom(path), mode);
            check(r, c, "mkfifo " + path);
        } catch (SysException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int connectUnix(String path) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        if (p.length >= 108) throw new SysException("connect " + path, 36 /* ENAMETOOLONG */);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = Native.capture(a);
            int fd = (int) Native.SOCKET.invokeExact(c, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
            check(fd, c, "socket");
            MemorySegment addr = a.allocate(110);
            addr.set(JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(p, 0, addr, JAVA_BYTE, 2, p.length);
            int r = (int) Native.CONNECT.invokeExact(c, fd, addr, 110);
            if (r < 0) {
                int err = Native.errno(c);
                close(fd);
                throw new SysException("connect " + path, err);
            }
            return fd;
        } catch (SysException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public ReceivedFd receiveFd(int socket) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = Native.capture(a);
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
            long n;
            do {
                n = (long) Native.RECVMSG.invokeExact(c, socket, msg, O_CLOEXEC /* MSG_CMSG_CLOEXEC */);
            } while (n < 0 && Native.errno(c) == Errno.EINTR);
            check(n, c, "recvmsg");
            long controlLen = msg.get(JAVA_LONG, 40);
            // struct cmsghdr { size_t len; int level; int type; int fd... }
            if (controlLen < 20 || control.get(JAVA_INT, 8) != SOL_SOCKET || control.get(JAVA_INT, 12) != SCM_RIGHTS) {
                throw new SysException("recvmsg: no file descriptor received", Errno.EINVAL);
            }
            int fd = control.get(JAVA_INT, 16);
            byte[] payload = new byte[(int) n];
            MemorySegment.copy(data, JAVA_BYTE, 0, payload, 0, (int) n);
            return new ReceivedFd(fd, new String(payload, StandardCharsets.UTF_8));
        } catch (SysException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public void writeFile(String path, String content) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = Native.capture(a);
            int fd = (int) Native.OPEN.invokeExact(c, a.allocateFrom(path), O_WRONLY | O_CLOEXEC, 0);
            check(fd, c, "open " + path);
            try {
                byte[] b = content.getBytes(StandardCharsets.UTF_8);
                MemorySegment buf = a.allocate(Math.max(1, b.length));
                MemorySegment.copy(b, 0, buf, JAVA_BYTE, 0, b.length);
                long n = (long) Native.WRITE.invokeExact(c, fd, buf, (long) b.length);
                check(n, c, "write " + path);
                if (n != b.length) throw new SysException("write " + path + ": short write", Errno.EIO);
            } finally {
                close(fd);
            }
        } catch (SysException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public boolean isatty(int fd) {
        try {
            return (int) Native.ISATTY.invokeExact(fd) == 1;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int[] windowSize(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ws = a.allocate(8, 2), c = Native.capture(a);
            int r = (int) Native.IOCTL.invokeExact(c, fd, TIOCGWINSZ, ws);
            check(r, c, "ioctl TIOCGWINSZ");
            return new int[] {Short.toUnsignedInt(ws.get(JAVA_SHORT, 0)), Short.toUnsignedInt(ws.get(JAVA_SHORT, 2))};
        } catch (SysException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public void setWindowSize(int fd, int rows, int cols) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ws = a.allocate(8, 2), c = Native.capture(a);
            ws.set(JAVA_SHORT, 0, (short) rows);
            ws.set(JAVA_SHORT, 2, (short) cols);
            int r = (int) Native.IOCTL.invokeExact(c, fd, TIOCSWINSZ, ws);
            check(r, c, "ioctl TIOCSWINSZ");
        } catch (SysException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public byte[] makeRaw(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment t = a.allocate(TERMIOS_SIZE, 4), c = Native.capture(a);
            check((int) Native.TCGETATTR.invokeExact(c, fd, t), c, "tcgetattr");
            byte[] saved = t.toArray(JAVA_BYTE);
            Native.CFMAKERAW.invokeExact(t);
            check((int) Native.TCSETATTR.invokeExact(c, fd, TCSANOW, t), c, "tcsetattr");
            return saved;
        } catch (SysException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public void restoreTerminal(int fd, byte[] saved) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment t = a.allocate(TERMIOS_SIZE, 4), c = Native.capture(a);
            MemorySegment.copy(saved, 0, t, JAVA_BYTE, 0, Math.min(saved.length, TERMIOS_SIZE));
            check((int) Native.TCSETATTR.invokeExact(c, fd, TCSANOW, t), c, "tcsetattr");
        } catch (SysException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int geteuid() {
        try {
            return (int) Native.GETEUID.invokeExact();
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static MemorySegment strings(Arena a, List<String> list) {
        MemorySegment arr = a.allocate(ADDRESS, list.size() + 1L);
        for (int i = 0; i < list.size(); i++) arr.setAtIndex(ADDRESS, i, a.allocateFrom(list.get(i)));
        arr.setAtIndex(ADDRESS, list.size(), MemorySegment.NULL);
        return arr;
    }

    private static void check(long result, MemorySegment capture, String operation) {
        if (result < 0) throw new SysException(operation, Native.errno(capture));
    }

    private static void require(int result, String operation) {
        if (result != 0) throw new SysException(operation, result);
    }

    private static RuntimeException unexpected(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }
}
