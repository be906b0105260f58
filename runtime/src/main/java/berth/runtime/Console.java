package berth.runtime;

import berth.sys.SysException;
import berth.sys.Syscalls;

/**
 * A terminal for a foreground container without a caller-supplied console socket (runc run/exec with
 * terminal=true): receives the pty master from the executor and copies bytes between it and our stdio,
 * with our terminal in raw mode while it lasts.
 */
final class Console {
    private final Syscalls sys;
    private final int[] pair;
    private int master = -1;
    private byte[] savedTerminal;
    private Thread output;

    Console(Syscalls sys) {
        this.sys = sys;
        this.pair = sys.socketpair();
    }

    /** The socket end to pass to the executor as its console socket. */
    int childEnd() {
        return pair[1];
    }

    /** Receives the master and starts copying. */
    void attach() {
        sys.close(pair[1]);
        pair[1] = -1;
        master = sys.receiveFd(pair[0]).fd();
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
        sys.close(pair[0]);
        if (pair[1] >= 0) sys.close(pair[1]);
        if (master >= 0) sys.close(master);
        master = -1;
    }

    private void copy(int from, int to) {
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = sys.read(from, buf)) > 0) {
                byte[] chunk = n == buf.length ? buf : java.util.Arrays.copyOf(buf, n);
                sys.writeFully(to, chunk);
            }
        } catch (SysException e) {
            // EIO on the master once the last holder of the slave is gone: the normal end
        }
    }
}
