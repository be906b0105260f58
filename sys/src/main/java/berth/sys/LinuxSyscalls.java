package berth.sys;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/** {@link Syscalls} on the running Linux kernel (x86_64 system call numbers). */
public final class LinuxSyscalls implements Syscalls {
    // asm/unistd_64.h
    private static final long SYS_READ = 0, SYS_WRITE = 1, SYS_CLOSE = 3, SYS_IOCTL = 16, SYS_SOCKET = 41,
            SYS_RECVMSG = 47, SYS_BIND = 49, SYS_LISTEN = 50, SYS_KILL = 62, SYS_OPENAT = 257, SYS_ACCEPT4 = 288,
            SYS_BPF = 321, SYS_PIDFD_OPEN = 434, SYS_PIDFD_GETFD = 438;
    private static final long AT_FDCWD = -100;
    private static final int O_RDONLY_DIRECTORY_CLOEXEC = 0x10000 | 0x80000;
    private static final int BPF_PROG_LOAD = 5, BPF_PROG_ATTACH = 8, BPF_PROG_TYPE_CGROUP_DEVICE = 15,
            BPF_CGROUP_DEVICE = 6, BPF_F_ALLOW_MULTI = 2;
    private static final int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_CLOEXEC = 0x80000;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;
    private static final int SCM_RIGHTS = 1, SOL_SOCKET = 1;
    private static final long TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414, TCGETS = 0x5401, TCSETS = 0x5402;
    private static final int TERMIOS_SIZE = 36; // the kernel's struct termios
    // event loops
    private static final long SYS_FCNTL = 72, SYS_EPOLL_WAIT = 232, SYS_EPOLL_CTL = 233, SYS_EVENTFD2 = 290,
            SYS_EPOLL_CREATE1 = 291;
    private static final int EPOLL_CLOEXEC = 0x80000, EFD_CLOEXEC = 0x80000, O_NONBLOCK = 0x800, F_DUPFD_CLOEXEC = 1030;
    private static final int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
    private static final int EPOLL_EVENT_SIZE = 12; // struct epoll_event is packed on x86_64: u32 events, u64 data
    // file systems
    private static final long SYS_MOUNT = 165, SYS_UMOUNT2 = 166, SYS_LSETXATTR = 189, SYS_LGETXATTR = 192,
            SYS_LLISTXATTR = 195, SYS_MKNODAT = 259, SYS_UTIMENSAT = 280, SYS_MOVE_MOUNT = 429, SYS_FSOPEN = 430,
            SYS_FSCONFIG = 431, SYS_FSMOUNT = 432, SYS_FCHMODAT2 = 452;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int FSOPEN_CLOEXEC = 1, FSMOUNT_CLOEXEC = 1, MOVE_MOUNT_F_EMPTY_PATH = 4;
    private static final int FSCONFIG_SET_STRING = 1, FSCONFIG_CMD_CREATE = 6;
    private static final int ERANGE = 34, ENODATA = 61;
    // namespaces
    private static final long SYS_SETNS = 308, SYS_UNSHARE = 272;
    private static final int CLONE_NEWNET = 0x40000000, O_RDONLY_CLOEXEC = 0x80000;

    private static long sys(Arena a, String what, long nr, long a1, long a2, long a3) {
        return Native.syscall(a, what, nr, a1, a2, a3, 0, 0, 0);
    }

    private static long sys4(Arena a, String what, long nr, long a1, long a2, long a3, long a4) {
        return Native.syscall(a, what, nr, a1, a2, a3, a4, 0, 0);
    }

    /** Retries a call interrupted by a signal. */
    private static long sysRetry(Arena a, String what, long nr, long a1, long a2, long a3, long a4) {
        while (true) {
            try {
                return Native.syscall(a, what, nr, a1, a2, a3, a4, 0, 0);
            } catch (SysException e) {
                if (e.errno() != Errno.EINTR) throw e;
            }
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

    @Override
    public void kill(int pid, int signal) {
        try (Arena a = Arena.ofConfined()) {
            sys(a, "kill " + pid, SYS_KILL, pid, signal, 0);
        }
    }

    @Override
    public int pidfdOpen(int pid) {
        try (Arena a = Arena.ofConfined()) {
            return (int) sys(a, "pidfd_open " + pid, SYS_PIDFD_OPEN, pid, 0, 0);
        }
    }

    @Override
    public int pidfdGetfd(int pidfd, int targetFd) {
        try (Arena a = Arena.ofConfined()) {
            return (int) sys(a, "pidfd_getfd descriptor " + targetFd, SYS_PIDFD_GETFD, pidfd, targetFd, 0);
        }
    }

    @Override
    public int listenUnix(String path) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        if (p.length >= 108) throw new SysException("bind " + path, 36 /* ENAMETOOLONG */);
        try (Arena a = Arena.ofConfined()) {
            int fd = (int) sys(a, "socket", SYS_SOCKET, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
            MemorySegment addr = a.allocate(110);
            addr.set(JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(p, 0, addr, JAVA_BYTE, 2, p.length);
            try {
                sys(a, "bind " + path, SYS_BIND, fd, addr.address(), 110);
                sys(a, "listen " + path, SYS_LISTEN, fd, 1, 0);
            } catch (SysException e) {
                close(fd);
                throw e;
            }
            return fd;
        }
    }

    @Override
    public int accept(int listener) {
        try (Arena a = Arena.ofConfined()) {
            return (int) sysRetry(a, "accept", SYS_ACCEPT4, listener, 0, 0, SOCK_CLOEXEC);
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

    /** Plain NIO: one write(2) of the whole buffer, and no native call to link on the start path. */
    @Override
    public void writeFile(String path, String content) {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(Path.of(path), StandardOpenOption.WRITE)) {
            if (ch.write(ByteBuffer.wrap(b)) != b.length) throw new SysException("write " + path + ": short write", Errno.EIO);
        } catch (IOException e) {
            throw new SysException("write " + path + ": " + e.getMessage(), Errno.EIO);
        }
    }

    @Override
    public void attachDeviceFilter(String cgroupDir, byte[] program) {
        try (Arena a = Arena.ofConfined()) {
            int dir = (int) sys(a, "open " + cgroupDir, SYS_OPENAT, AT_FDCWD, a.allocateFrom(cgroupDir).address(), O_RDONLY_DIRECTORY_CLOEXEC);
            int prog = -1;
            try {
                MemorySegment insns = a.allocate(program.length, 8);
                MemorySegment.copy(program, 0, insns, JAVA_BYTE, 0, program.length);
                MemorySegment attr = a.allocate(128, 8); // union bpf_attr, BPF_PROG_LOAD part
                attr.set(JAVA_INT, 0, BPF_PROG_TYPE_CGROUP_DEVICE);
                attr.set(JAVA_INT, 4, program.length / 8);
                attr.set(JAVA_LONG, 8, insns.address());
                attr.set(JAVA_LONG, 16, a.allocateFrom("Apache").address());
                try {
                    prog = (int) Native.syscall(a, "bpf BPF_PROG_LOAD (device filter)", SYS_BPF, BPF_PROG_LOAD, attr.address(), 128, 0, 0, 0);
                } catch (SysException e) {
                    // load again with the verifier's log, for its last line in the error
                    MemorySegment log = a.allocate(1 << 20);
                    attr.set(JAVA_INT, 24, 1);
                    attr.set(JAVA_INT, 28, 1 << 20);
                    attr.set(JAVA_LONG, 32, log.address());
                    try {
                        close((int) Native.syscall(a, "bpf", SYS_BPF, BPF_PROG_LOAD, attr.address(), 128, 0, 0, 0));
                    } catch (SysException ignored) {
                        // expected: the same failure, now with the log
                    }
                    String verifier = log.getString(0).strip();
                    throw verifier.isEmpty() ? e : new SysException(e.operation() + ": " + verifier.lines().reduce((x, y) -> y).orElse(""), e.errno());
                }
                MemorySegment attach = a.allocate(128, 8); // BPF_PROG_ATTACH part
                attach.set(JAVA_INT, 0, dir);
                attach.set(JAVA_INT, 4, prog);
                attach.set(JAVA_INT, 8, BPF_CGROUP_DEVICE);
                attach.set(JAVA_INT, 12, BPF_F_ALLOW_MULTI);
                Native.syscall(a, "bpf BPF_PROG_ATTACH to " + cgroupDir, SYS_BPF, BPF_PROG_ATTACH, attach.address(), 128, 0, 0, 0);
            } finally {
                close(prog);
                close(dir);
            }
        }
    }

    @Override
    public int epollCreate() {
        try (Arena a = Arena.ofConfined()) {
            return (int) sys(a, "epoll_create1", SYS_EPOLL_CREATE1, EPOLL_CLOEXEC, 0, 0);
        }
    }

    @Override
    public void epollAdd(int epfd, int fd, int events, long token) {
        epollCtl(EPOLL_CTL_ADD, "add", epfd, fd, events, token);
    }

    @Override
    public void epollModify(int epfd, int fd, int events, long token) {
        epollCtl(EPOLL_CTL_MOD, "mod", epfd, fd, events, token);
    }

    @Override
    public void epollDelete(int epfd, int fd) {
        epollCtl(EPOLL_CTL_DEL, "del", epfd, fd, 0, 0);
    }

    private static void epollCtl(int op, String opName, int epfd, int fd, int events, long token) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment event = a.allocate(EPOLL_EVENT_SIZE, 4);
            event.set(JAVA_INT, 0, events);
            event.set(JAVA_LONG_UNALIGNED, 4, token);
            sys4(a, "epoll_ctl " + opName + " fd " + fd + " on epoll fd " + epfd, SYS_EPOLL_CTL, epfd, op, fd, event.address());
        }
    }

    @Override
    public List<EpollEvent> epollWait(int epfd, int maxEvents, int timeoutMillis) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment events = a.allocate((long) EPOLL_EVENT_SIZE * maxEvents, 4);
            int n;
            try {
                n = (int) sys4(a, "epoll_wait on epoll fd " + epfd, SYS_EPOLL_WAIT, epfd, events.address(), maxEvents, timeoutMillis);
            } catch (SysException e) {
                if (e.errno() == Errno.EINTR) return List.of();
                throw e;
            }
            List<EpollEvent> ready = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long at = (long) i * EPOLL_EVENT_SIZE;
                ready.add(new EpollEvent(events.get(JAVA_LONG_UNALIGNED, at + 4), events.get(JAVA_INT, at)));
            }
            return ready;
        }
    }

    @Override
    public int eventFd() {
        try (Arena a = Arena.ofConfined()) {
            return (int) sys(a, "eventfd2", SYS_EVENTFD2, 0, EFD_CLOEXEC | O_NONBLOCK, 0);
        }
    }

    @Override
    public int openNonBlocking(String path) {
        try (Arena a = Arena.ofConfined()) {
            return (int) sys4(a, "open " + path, SYS_OPENAT, AT_FDCWD, a.allocateFrom(path).address(), O_RDONLY_CLOEXEC | O_NONBLOCK, 0);
        }
    }

    @Override
    public int readNonBlocking(int fd, byte[] dst, int off, int len) {
        Objects.checkFromIndexSize(off, len, dst.length);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(Math.max(1, len));
            int n;
            try {
                n = (int) sysRetry(a, "read fd " + fd, SYS_READ, fd, buf.address(), len, 0);
            } catch (SysException e) {
                if (e.errno() == Errno.EAGAIN) return WOULD_BLOCK;
                throw e;
            }
            MemorySegment.copy(buf, JAVA_BYTE, 0, dst, off, n);
            return n;
        }
    }

    @Override
    public int dup(int fd) {
        try (Arena a = Arena.ofConfined()) {
            return (int) sys(a, "dup fd " + fd, SYS_FCNTL, fd, F_DUPFD_CLOEXEC, 0);
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
    public void mknod(String path, int mode, int major, int minor) {
        long dev = makedev(major, minor);
        // the system call takes the 32-bit encoding, which glibc's makedev extends
        if (major < 0 || minor < 0 || dev != (dev & 0xffffffffL)) {
            throw new SysException("mknod " + path + " (device " + major + ":" + minor + ")", 75 /* EOVERFLOW */);
        }
        try (Arena a = Arena.ofConfined()) {
            sys4(a, "mknod " + path, SYS_MKNODAT, AT_FDCWD, a.allocateFrom(path).address(), mode, dev);
        }
    }

    /** glibc's {@code makedev(3)}: the low 8 bits of the minor, 12 bits of major, then the rest of each. */
    private static long makedev(long major, long minor) {
        return ((major & 0xfffL) << 8) | ((major & 0xfffff000L) << 32) | (minor & 0xffL) | ((minor & 0xffffff00L) << 12);
    }

    @Override
    public void lchmod(String path, int mode) {
        try (Arena a = Arena.ofConfined()) {
            sys4(a, "chmod " + path, SYS_FCHMODAT2, AT_FDCWD, a.allocateFrom(path).address(), mode, AT_SYMLINK_NOFOLLOW);
        }
    }

    @Override
    public void lsetxattr(String path, String name, byte[] value) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(Math.max(1, value.length));
            MemorySegment.copy(value, 0, v, JAVA_BYTE, 0, value.length);
            Native.syscall(a, "lsetxattr " + name + " on " + path, SYS_LSETXATTR, a.allocateFrom(path).address(),
                    a.allocateFrom(name).address(), v.address(), value.length, 0, 0);
        }
    }

    @Override
    public byte[] lgetxattr(String path, String name) {
        String what = "lgetxattr " + name + " of " + path;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocateFrom(path), n = a.allocateFrom(name);
            while (true) { // the value may grow between asking its size and reading it
                try {
                    long size = sys4(a, what, SYS_LGETXATTR, p.address(), n.address(), 0, 0);
                    MemorySegment buf = a.allocate(Math.max(1, size));
                    long got = sys4(a, what, SYS_LGETXATTR, p.address(), n.address(), buf.address(), size);
                    return buf.asSlice(0, got).toArray(JAVA_BYTE);
                } catch (SysException e) {
                    if (e.errno() == ENODATA) return null;
                    if (e.errno() != ERANGE) throw e;
                }
            }
        }
    }

    @Override
    public List<String> llistxattr(String path) {
        String what = "llistxattr " + path;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocateFrom(path);
            while (true) {
                try {
                    long size = sys(a, what, SYS_LLISTXATTR, p.address(), 0, 0);
                    MemorySegment buf = a.allocate(Math.max(1, size));
                    long got = sys(a, what, SYS_LLISTXATTR, p.address(), buf.address(), size);
                    return splitNulTerminated(buf.asSlice(0, got).toArray(JAVA_BYTE));
                } catch (SysException e) {
                    if (e.errno() != ERANGE) throw e;
                }
            }
        }
    }

    private static List<String> splitNulTerminated(byte[] b) {
        List<String> names = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                if (i > start) names.add(new String(b, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return names;
    }

    @Override
    public void lutimes(String path, long atimeNanos, long mtimeNanos) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment times = a.allocate(32, 8); // struct timespec[2]
            times.set(JAVA_LONG, 0, Math.floorDiv(atimeNanos, 1_000_000_000L));
            times.set(JAVA_LONG, 8, Math.floorMod(atimeNanos, 1_000_000_000L));
            times.set(JAVA_LONG, 16, Math.floorDiv(mtimeNanos, 1_000_000_000L));
            times.set(JAVA_LONG, 24, Math.floorMod(mtimeNanos, 1_000_000_000L));
            sys4(a, "utimensat " + path, SYS_UTIMENSAT, AT_FDCWD, a.allocateFrom(path).address(), times.address(), AT_SYMLINK_NOFOLLOW);
        }
    }

    @Override
    public void mount(String source, String target, String fstype, long flags, String data) {
        try (Arena a = Arena.ofConfined()) {
            Native.syscall(a, "mount " + fstype + " " + source + " on " + target, SYS_MOUNT, a.allocateFrom(source).address(),
                    a.allocateFrom(target).address(), a.allocateFrom(fstype).address(), flags,
                    data == null ? 0 : a.allocateFrom(data).address(), 0);
        }
    }

    @Override
    public void umount(String target, int flags) {
        try (Arena a = Arena.ofConfined()) {
            sys(a, "umount " + target, SYS_UMOUNT2, a.allocateFrom(target).address(), flags, 0);
        }
    }

    @Override
    public void mountOverlay(String target, List<String> lowerDirs, String upperDir, String workDir) {
        if (lowerDirs.isEmpty()) throw new SysException("mount overlay on " + target + ": no lower directory", Errno.EINVAL);
        if ((upperDir == null) != (workDir == null)) {
            throw new SysException("mount overlay on " + target + ": upperdir and workdir go together", Errno.EINVAL);
        }
        if (upperDir == null && lowerDirs.size() < 2) {
            // the kernel says why only in its log: "at least 2 lowerdir are needed while upperdir nonexistent"
            throw new SysException("mount overlay on " + target + ": a read-only overlay needs at least 2 lower directories", Errno.EINVAL);
        }
        try (Arena a = Arena.ofConfined()) {
            int fs = (int) sys(a, "fsopen overlay", SYS_FSOPEN, a.allocateFrom("overlay").address(), FSOPEN_CLOEXEC, 0);
            try {
                for (String lower : lowerDirs) fsconfigString(a, fs, "lowerdir+", lower);
                if (upperDir != null) {
                    fsconfigString(a, fs, "upperdir", upperDir);
                    fsconfigString(a, fs, "workdir", workDir);
                }
                Native.syscall(a, "fsconfig overlay create for " + target, SYS_FSCONFIG, fs, FSCONFIG_CMD_CREATE, 0, 0, 0, 0);
                int mnt = (int) sys(a, "fsmount overlay for " + target, SYS_FSMOUNT, fs, FSMOUNT_CLOEXEC, 0);
                try {
                    Native.syscall(a, "move_mount overlay to " + target, SYS_MOVE_MOUNT, mnt, a.allocateFrom("").address(),
                            AT_FDCWD, a.allocateFrom(target).address(), MOVE_MOUNT_F_EMPTY_PATH, 0);
                } finally {
                    close(mnt);
                }
            } catch (SysException e) {
                String why = fsContextLog(fs);
                throw why.isEmpty() ? e : new SysException(e.operation() + " (" + why + ")", e.errno());
            } finally {
                close(fs);
            }
        }
    }

    private static void fsconfigString(Arena a, int fs, String key, String value) {
        Native.syscall(a, "fsconfig overlay " + key + " " + value, SYS_FSCONFIG, fs, FSCONFIG_SET_STRING,
                a.allocateFrom(key).address(), a.allocateFrom(value).address(), 0, 0);
    }

    /**
     * The messages the kernel left in a file system context: each read(2) returns one line such as
     * {@code e overlay: failed to resolve 'x': -2}, until ENODATA. Errors and warnings, joined with "; ".
     */
    private static String fsContextLog(int fs) {
        List<String> lines = new ArrayList<>();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(1024);
            for (int i = 0; i < 16; i++) {
                long n = sys(a, "read fs context", SYS_READ, fs, buf.address(), 1024);
                String line = new String(buf.asSlice(0, n).toArray(JAVA_BYTE), StandardCharsets.UTF_8).strip();
                if (line.startsWith("e ") || line.startsWith("w ")) lines.add(line.substring(2));
            }
        } catch (SysException e) {
            // ENODATA: no more messages
        }
        return String.join("; ", lines);
    }

    /**
     * A fresh platform thread, because setns(2) moves the calling OS thread: a virtual thread could be moved to another
     * carrier in between, and a pooled thread would carry the namespace into unrelated work.
     */
    @Override
    public <T> T inNetworkNamespace(String netnsPath, Supplier<T> action) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name("berth-setns").daemon().start(() -> {
            try (Arena a = Arena.ofConfined()) {
                String selfPath = "/proc/thread-self/ns/net";
                int self = (int) sys(a, "open " + selfPath, SYS_OPENAT, AT_FDCWD, a.allocateFrom(selfPath).address(), O_RDONLY_CLOEXEC);
                try {
                    int target = (int) sys(a, "open " + netnsPath, SYS_OPENAT, AT_FDCWD, a.allocateFrom(netnsPath).address(), O_RDONLY_CLOEXEC);
                    try {
                        sys(a, "setns " + netnsPath + " (CLONE_NEWNET)", SYS_SETNS, target, CLONE_NEWNET, 0);
                    } finally {
                        close(target);
                    }
                    try {
                        result.set(action.get());
                    } finally {
                        sys(a, "setns back to " + selfPath + " (CLONE_NEWNET)", SYS_SETNS, self, CLONE_NEWNET, 0);
                    }
                } finally {
                    close(self);
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the thread is short-lived; its result (an open socket, say) must not be lost
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        Throwable e = failure.get();
        if (e instanceof RuntimeException r) throw r;
        if (e instanceof Error err) throw err;
        if (e != null) throw new IllegalStateException(e);
        return result.get();
    }

    @Override
    public void newNetworkNamespace(String bindPath) {
        inNetworkNamespace("/proc/thread-self/ns/net", () -> {
            try (Arena a = Arena.ofConfined()) {
                sys(a, "unshare (CLONE_NEWNET)", SYS_UNSHARE, CLONE_NEWNET, 0, 0);
            }
            mount("/proc/thread-self/ns/net", bindPath, "none", 4096 /* MS_BIND */, null);
            return null;
        });
    }
}
