package berth.cli;

import berth.sys.LinuxSyscalls;
import berth.sys.SysException;
import berth.sys.Syscalls;
import sun.misc.Signal;

import java.util.function.BiConsumer;

/**
 * The local terminal during {@code -it}: stdin in raw mode (restored on close, and at exit should the JVM
 * be ended another way), and its size reported now and again on every SIGWINCH.
 */
final class Terminal implements AutoCloseable {
    private static final int STDIN = 0, STDOUT = 1;

    private final Syscalls sys;
    private final byte[] saved;
    private final Thread restoreAtExit;

    private Terminal(Syscalls sys, byte[] saved) {
        this.sys = sys;
        this.saved = saved;
        this.restoreAtExit = new Thread(() -> sys.restoreTerminal(STDIN, saved));
        Runtime.getRuntime().addShutdownHook(restoreAtExit);
    }

    /** Whether stdin is a terminal (so {@code -t} with {@code -i} can be honoured). */
    static boolean stdinIsTerminal() {
        return new LinuxSyscalls().isatty(STDIN);
    }

    /** Puts stdin into raw mode. */
    static Terminal raw() {
        Syscalls sys = new LinuxSyscalls();
        return new Terminal(sys, sys.makeRaw(STDIN));
    }

    /** Reports the size of the terminal on stdout ({@code rows, cols}) now and whenever it changes. */
    static void watchSize(BiConsumer<Integer, Integer> resize) {
        Syscalls sys = new LinuxSyscalls();
        Runnable report = () -> {
            try {
                int[] size = sys.windowSize(sys.isatty(STDOUT) ? STDOUT : STDIN);
                if (size[0] > 0 && size[1] > 0) resize.accept(size[0], size[1]);
            } catch (SysException e) {
                // not a terminal after all: there is no size to report
            }
        };
        report.run();
        Signal.handle(new Signal("WINCH"), s -> report.run());
    }

    @Override
    public void close() {
        sys.restoreTerminal(STDIN, saved);
        try {
            Runtime.getRuntime().removeShutdownHook(restoreAtExit);
        } catch (IllegalStateException e) {
            // already exiting: the hook restores the same settings again, harmlessly
        }
    }
}
