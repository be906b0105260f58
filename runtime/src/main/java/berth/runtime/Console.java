package berth.runtime;

import berth.sys.SysException;
import berth.sys.Syscalls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A terminal for a foreground container without a caller-supplied console socket (runc run/exec with
 * terminal=true): listens on a private socket where the executor sends the pty master, then copies bytes
 * between it and our stdio, with our terminal in raw mode while it lasts.
 */
final class Console {
    private final Syscalls sys;
    private final Path path;
    private final int listener;
    private int master = -1;
    private byte[] savedTerminal;
    private Thread output;

    Console(Syscalls sys, Path dir) {
        this.sys = sys;
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new RuntimeError("create " + dir + ": " + e.getMessage(), e);
        }
        this.path = dir.resolve(".console-" + UUID.randomUUID().toString().substring(0, 8) + ".sock");
        this.listener = sys.listenUnix(path.toString());
    }

    /** The socket path for the executor's console operation. */
    String path() {
        return path.toString();
    }

    /** Receives the master (the executor sent it before "ready") and starts copying. */
    void attach() {
        int conn = sys.accept(listener);
        try {
            master = sys.receiveFd(conn).fd();
        } finally {
            sys.close(conn);
        }
        if (sys.isatty(0)) {
            int[] size = sys.windowSize(0);
            sys.setWindowSize(master, size[0], size[1]);
            savedTerminal = sys.makeRaw(0);
        }
        Thread.ofPlatform().daemon().start(() -> copy(0, master));
        output = Thread.ofPlatform().daemon().start(() -> copy(master, 1));
    }

    /** Our terminal changed size: pass it on. */
    void resize() {
        if (master >= 0 && sys.isatty(0)) {
            int[] size = sys.windowSize(0);
            sys.setWindowSize(master, size[0], size[1]);
        }
    }

    /** Waits briefly for the output still buffered in the pty after the process ended. */
    void drain() {
        if (output == null) return;
        try {
            output.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void close() {
        if (savedTerminal != null) sys.restoreTerminal(0, savedTerminal);
        savedTerminal = null;
        sys.close(listener);
        if (master >= 0) sys.close(master);
        master = -1;
        try {
            Files.deleteIfExists(path);
        } catch (java.io.IOException ignored) {
            // a stale socket file in the state directory is harmless
        }
    }

    private void copy(int from, int to) {
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = sys.read(from, buf)) > 0) {
                sys.writeFully(to, n == buf.length ? buf : java.util.Arrays.copyOf(buf, n));
            }
        } catch (SysException e) {
            // EIO on the master once the last holder of the slave is gone: the normal end
        }
    }
}
