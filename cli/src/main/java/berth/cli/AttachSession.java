package berth.cli;

import berth.cli.client.StdStreams;
import berth.cli.client.UnixHttpTransport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The local end of a hijacked attach or exec: the container's output to stdout and stderr (demultiplexed
 * unless it has a TTY), and, if asked, stdin to the container, half-closing the connection at end of
 * input so the container reads EOF. With a TTY, ctrl-p ctrl-q detaches (the keys are not sent).
 */
final class AttachSession {
    private static final int CTRL_P = 0x10, CTRL_Q = 0x11;

    private final Main m;
    private final boolean tty;
    private final boolean forwardStdin;
    private volatile boolean detached;

    AttachSession(Main m, boolean tty, boolean forwardStdin) {
        this.m = m;
        this.tty = tty;
        this.forwardStdin = forwardStdin;
    }

    /** Streams until the output ends; true if the user detached with ctrl-p ctrl-q. */
    boolean run(UnixHttpTransport.Upgraded u) throws IOException {
        if (forwardStdin) {
            Thread input = new Thread(() -> pumpStdin(u), "berth-stdin");
            input.setDaemon(true);
            input.start();
        }
        InputStream output = u.response().body();
        try {
            if (tty) StdStreams.copyRaw(output, m.out);
            else StdStreams.demultiplex(output, m.out, m.err);
        } catch (IOException e) {
            if (!detached) throw e;
        } finally {
            m.out.flush();
            m.err.flush();
            u.connection().close();
        }
        return detached;
    }

    private void pumpStdin(UnixHttpTransport.Upgraded u) {
        OutputStream to = u.output();
        byte[] buf = new byte[8192];
        boolean heldCtrlP = false;
        try {
            for (int n; (n = m.in.read(buf)) >= 0; ) {
                if (!tty) {
                    to.write(buf, 0, n);
                    continue;
                }
                int start = 0;
                for (int i = 0; i < n; i++) {
                    int b = buf[i] & 0xff;
                    if (heldCtrlP) {
                        heldCtrlP = false;
                        if (b == CTRL_Q) {
                            detached = true;
                            u.connection().close();
                            return;
                        }
                        to.write(CTRL_P);
                    }
                    if (b == CTRL_P) {
                        to.write(buf, start, i - start);
                        heldCtrlP = true;
                        start = i + 1;
                    }
                }
                to.write(buf, start, n - start);
            }
            if (heldCtrlP) to.write(CTRL_P);
            u.connection().shutdownOutput();
        } catch (IOException e) {
            // the connection closed (the container exited): the output side reports how it ended
        }
    }
}
