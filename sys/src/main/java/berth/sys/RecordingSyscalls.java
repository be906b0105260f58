package berth.sys;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A fake {@link Syscalls} for unit tests: it records every call with its arguments, hands out fresh
 * descriptor numbers, returns scripted data from {@link #read}, and fails the calls it was told to fail.
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
    private final Map<Integer, Exit> exits = new HashMap<>();
    private int nextFd = 100;
    private int nextPid = 4000;

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The names of the recorded calls, in order. */
    public List<String> names() {
        return calls.stream().map(Call::name).toList();
    }

    /** Queues a packet that the next {@link #read} on {@code fd} returns. */
    public RecordingSyscalls willRead(int fd, String packet) {
        reads.computeIfAbsent(fd, k -> new ArrayDeque<>()).add(packet.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Makes every later call named {@code name} fail with {@code errno}. */
    public RecordingSyscalls fail(String name, int errno) {
        failures.put(name, errno);
        return this;
    }

    /** The exit that {@link #waitpid} reports for {@code pid} (default: exit code 0). */
    public RecordingSyscalls willExit(int pid, Exit exit) {
        exits.put(pid, exit);
        return this;
    }

    /** The pid the next {@link #spawn} returns. */
    public int nextPid() {
        return nextPid;
    }

    /** The descriptor number the next call that opens something returns. */
    public int nextFd() {
        return nextFd;
    }

    private void record(String name, Object... args) {
        calls.add(new Call(name, List.of(args)));
        Integer errno = failures.get(name);
        if (errno != null) throw new SysException(name, errno);
    }

    @Override
    public int[] socketpair() {
        record("socketpair");
        return new int[] {nextFd++, nextFd++};
    }

    @Override
    public Pipe pipe() {
        record("pipe");
        return new Pipe(nextFd++, nextFd++);
    }

    @Override
    public int sealedMemfd(String name, byte[] content) {
        record("sealedMemfd", name, content.length);
        return nextFd++;
    }

    @Override
    public void writeFully(int fd, byte[] data) {
        record("write", fd, new String(data, StandardCharsets.ISO_8859_1));
    }

    @Override
    public int read(int fd, byte[] buf) {
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
    public int spawn(String path, List<String> argv, List<String> env, Collection<Integer> inherit) {
        record("spawn", path, List.copyOf(argv), List.copyOf(inherit));
        return nextPid++;
    }

    @Override
    public Exit waitpid(int pid) {
        record("waitpid", pid);
        return exits.getOrDefault(pid, new Exit(pid, 0, 0));
    }

    @Override
    public Exit tryWait(int pid) {
        record("tryWait", pid);
        return exits.get(pid);
    }

    @Override
    public void kill(int pid, int signal) {
        record("kill", pid, signal);
    }

    @Override
    public void setChildSubreaper() {
        record("setChildSubreaper");
    }

    @Override
    public void mkfifo(String path, int mode) {
        record("mkfifo", path, mode);
    }

    @Override
    public int connectUnix(String path) {
        record("connectUnix", path);
        return nextFd++;
    }

    @Override
    public ReceivedFd receiveFd(int socket) {
        record("receiveFd", socket);
        return new ReceivedFd(nextFd++, "/dev/pts/0");
    }

    @Override
    public void writeFile(String path, String content) {
        record("writeFile", path, content);
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
    public int geteuid() {
        record("geteuid");
        return 0;
    }
}
