package berth.sys;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A fake {@link Syscalls} for unit tests: it records every call with its arguments, hands out fresh
 * descriptor numbers, returns scripted data from {@link #read} and {@link #readNonBlocking} and scripted readiness
 * from {@link #epollWait}, and fails the calls it was told to fail.
 */
public final class RecordingSyscalls implements Syscalls {
    /** One recorded call. */
    public record Call(String name, List<Object> args) {
        @Override
        public String toString() {
            return args.isEmpty() ? name : name + " " + args;
        }
    }

    private final List<Call> calls = new ArrayList<>();
    private final Map<Integer, Deque<byte[]>> reads = new HashMap<>();
    private final Map<String, Integer> failures = new HashMap<>();
    private final Deque<EpollEvent> ready = new ArrayDeque<>();
    private int nextFd = 100;

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The names of the recorded calls, in order. */
    public synchronized List<String> names() {
        return calls.stream().map(Call::name).toList();
    }

    /** Queues data that the next {@link #read} on {@code fd} returns. */
    public synchronized RecordingSyscalls willRead(int fd, String data) {
        reads.computeIfAbsent(fd, k -> new ArrayDeque<>()).add(data.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Queues an event that a later {@link #epollWait} returns. */
    public synchronized RecordingSyscalls willBeReady(long token, int events) {
        ready.add(new EpollEvent(token, events));
        return this;
    }

    /** Makes every later call named {@code name} fail with {@code errno}. */
    public synchronized RecordingSyscalls fail(String name, int errno) {
        failures.put(name, errno);
        return this;
    }

    private synchronized void record(String name, Object... args) {
        calls.add(new Call(name, List.of(args)));
        Integer errno = failures.get(name);
        if (errno != null) throw new SysException(name, errno);
    }

    @Override
    public void writeFully(int fd, byte[] data) {
        record("write", fd, new String(data, StandardCharsets.ISO_8859_1));
    }

    @Override
    public synchronized int read(int fd, byte[] buf) {
        record("read", fd);
        Deque<byte[]> q = reads.get(fd);
        if (q == null || q.isEmpty()) return 0;
        byte[] b = q.poll();
        System.arraycopy(b, 0, buf, 0, Math.min(b.length, buf.length));
        return Math.min(b.length, buf.length);
    }

    @Override
    public void close(int fd) {
        record("close", fd);
    }

    @Override
    public void kill(int pid, int signal) {
        record("kill", pid, signal);
    }

    @Override
    public synchronized int pidfdOpen(int pid) {
        record("pidfdOpen", pid);
        return nextFd++;
    }

    @Override
    public synchronized int pidfdGetfd(int pidfd, int targetFd) {
        record("pidfdGetfd", pidfd, targetFd);
        return nextFd++;
    }

    @Override
    public synchronized int listenUnix(String path) {
        record("listenUnix", path);
        return nextFd++;
    }

    @Override
    public synchronized int accept(int listener) {
        record("accept", listener);
        return nextFd++;
    }

    @Override
    public synchronized ReceivedFd receiveFd(int socket) {
        record("receiveFd", socket);
        return new ReceivedFd(nextFd++, "/dev/pts/0");
    }

    @Override
    public synchronized int epollCreate() {
        record("epollCreate");
        return nextFd++;
    }

    @Override
    public void epollAdd(int epfd, int fd, int events, long token) {
        record("epollAdd", epfd, fd, events, token);
    }

    @Override
    public void epollModify(int epfd, int fd, int events, long token) {
        record("epollModify", epfd, fd, events, token);
    }

    @Override
    public void epollDelete(int epfd, int fd) {
        record("epollDelete", epfd, fd);
    }

    /** The queued events, at most {@code maxEvents}; empty when none are queued, without waiting. */
    @Override
    public synchronized List<EpollEvent> epollWait(int epfd, int maxEvents, int timeoutMillis) {
        record("epollWait", epfd, maxEvents, timeoutMillis);
        List<EpollEvent> out = new ArrayList<>();
        while (out.size() < maxEvents && !ready.isEmpty()) out.add(ready.poll());
        return out;
    }

    @Override
    public synchronized int eventFd() {
        record("eventFd");
        return nextFd++;
    }

    @Override
    public synchronized int openNonBlocking(String path) {
        record("openNonBlocking", path);
        return nextFd++;
    }

    /** Scripted data as {@link #read} gives it; 0 (end of file) when none is queued. */
    @Override
    public synchronized int readNonBlocking(int fd, byte[] buf, int off, int len) {
        record("readNonBlocking", fd);
        Deque<byte[]> q = reads.get(fd);
        if (q == null || q.isEmpty()) return 0;
        byte[] b = q.poll();
        int n = Math.min(b.length, len);
        System.arraycopy(b, 0, buf, off, n);
        return n;
    }

    @Override
    public synchronized int dup(int fd) {
        record("dup", fd);
        return nextFd++;
    }

    @Override
    public void writeFile(String path, String content) {
        record("writeFile", path, content);
    }

    @Override
    public void attachDeviceFilter(String cgroupDir, byte[] program) {
        record("attachDeviceFilter", cgroupDir, program.length / 8);
    }

    @Override
    public boolean isatty(int fd) {
        record("isatty", fd);
        return false;
    }

    @Override
    public int[] windowSize(int fd) {
        record("windowSize", fd);
        return new int[] {24, 80};
    }

    @Override
    public void setWindowSize(int fd, int rows, int cols) {
        record("setWindowSize", fd, rows, cols);
    }

    @Override
    public byte[] makeRaw(int fd) {
        record("makeRaw", fd);
        return new byte[0];
    }

    @Override
    public void restoreTerminal(int fd, byte[] saved) {
        record("restoreTerminal", fd);
    }

    @Override
    public void mknod(String path, int mode, int major, int minor) {
        record("mknod", path, mode, major, minor);
    }

    @Override
    public void lchmod(String path, int mode) {
        record("lchmod", path, mode);
    }

    @Override
    public void lsetxattr(String path, String name, byte[] value) {
        record("lsetxattr", path, name, new String(value, StandardCharsets.ISO_8859_1));
    }

    /** Always null: the fake keeps no attributes. */
    @Override
    public byte[] lgetxattr(String path, String name) {
        record("lgetxattr", path, name);
        return null;
    }

    @Override
    public List<String> llistxattr(String path) {
        record("llistxattr", path);
        return List.of();
    }

    @Override
    public void lutimes(String path, long atimeNanos, long mtimeNanos) {
        record("lutimes", path, atimeNanos, mtimeNanos);
    }

    @Override
    public void mount(String source, String target, String fstype, long flags, String data) {
        record("mount", source, target, fstype, flags, data == null ? "" : data);
    }

    @Override
    public void umount(String target, int flags) {
        record("umount", target, flags);
    }

    @Override
    public void mountOverlay(String target, List<String> lowerDirs, String upperDir, String workDir) {
        record("mountOverlay", target, lowerDirs, upperDir == null ? "" : upperDir, workDir == null ? "" : workDir);
    }

    /** Records the namespace and runs the action on the calling thread, in the namespace it is in. */
    @Override
    public <T> T inNetworkNamespace(String netnsPath, Supplier<T> action) {
        record("inNetworkNamespace", netnsPath);
        return action.get();
    }

    @Override
    public void newNetworkNamespace(String bindPath) {
        record("newNetworkNamespace", bindPath);
    }
}
