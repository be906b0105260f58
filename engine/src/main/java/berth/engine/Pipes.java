package berth.engine;

import berth.sys.Syscalls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The named pipes and terminal descriptors that carry a container's or an exec's stdio. */
final class Pipes {
    private static final int S_IFIFO = 0010000;

    private Pipes() {}

    /** Makes a named pipe (mode 0600) unless one is there. */
    static void fifo(Syscalls sys, Path p) {
        if (Files.exists(p)) return;
        sys.mknod(p.toString(), S_IFIFO | 0600, 0, 0);
    }

    /** A stdin pipe's write end, opened read-write so that it does not wait for the reader. */
    static FileChannel writer(Path fifo) {
        try {
            return FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("open " + fifo + ": " + e.getMessage(), e);
        }
    }

    /**
     * Copies a client's input to a process until the client's end of file: into the terminal master when there
     * is one ({@code master() >= 0}), else into the stdin pipe (stops when {@code stdin()} is null: closed).
     * A client or process that goes away ends the copy quietly.
     */
    static void copyInput(Syscalls sys, InputStream in, java.util.function.IntSupplier master,
                          java.util.function.Supplier<FileChannel> stdin) {
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                int m = master.getAsInt();
                if (m >= 0) {
                    sys.writeFully(m, java.util.Arrays.copyOf(buf, n));
                } else {
                    FileChannel ch = stdin.get();
                    if (ch == null) return;
                    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(buf, 0, n);
                    while (b.hasRemaining()) ch.write(b);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the client or the process went away
        }
    }

    /**
     * The status a detached monitor wrote (exit code, or 128 + signal); 137 when there is none: the monitor
     * itself was killed, which Docker reports as a kill.
     */
    static int exitStatus(Path file) {
        try {
            return Integer.parseInt(Files.readString(file).strip());
        } catch (IOException | NumberFormatException e) {
            return 137;
        }
    }
}
