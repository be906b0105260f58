package berth.cli.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Splits a multiplexed stream (the output of a container without a TTY: frames of an 8-byte header, stream
 * type 0 stdin, 1 stdout, 2 stderr, 3 daemon error, then a big-endian 32-bit length, then the payload) into
 * stdout and stderr, flushing after each frame so interleaving is kept.
 */
public final class StdStreams {
    private StdStreams() {}

    public static void demultiplex(InputStream in, OutputStream out, OutputStream err) throws IOException {
        byte[] header = new byte[8];
        byte[] buf = new byte[32 * 1024];
        while (true) {
            int got = in.readNBytes(header, 0, 8);
            if (got == 0) return;
            if (got < 8) throw new EOFException("the daemon's stream ended inside a frame header");
            int type = header[0];
            long size = ((header[4] & 0xffL) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8) | (header[7] & 0xff);
            if (type == 3) {
                byte[] msg = in.readNBytes((int) Math.min(size, 1 << 20));
                throw new IOException("the daemon reported: " + new String(msg, StandardCharsets.UTF_8).strip());
            }
            OutputStream target = switch (type) {
                case 0, 1 -> out;
                case 2 -> err;
                default -> throw new IOException("unknown stream type " + type + " in a multiplexed stream");
            };
            while (size > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, size));
                if (n < 0) throw new EOFException("the daemon's stream ended inside a frame");
                target.write(buf, 0, n);
                size -= n;
            }
            target.flush();
        }
    }

    /** Copies a raw (TTY) stream, flushing after every read so an interactive session sees each byte. */
    public static void copyRaw(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[32 * 1024];
        for (int n; (n = in.read(buf)) >= 0; ) {
            out.write(buf, 0, n);
            out.flush();
        }
    }
}
