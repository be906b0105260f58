package berth.engine.logs;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The two ways Docker's API carries a container's output in one byte stream (attach, exec start, logs). Without a
 * TTY it is multiplexed: each write becomes a frame, an 8-byte header (the stream id, {@link StdStream#id()}, three
 * zero bytes, the payload length as a big-endian uint32) and the payload; {@link FrameReader} splits such a stream
 * back. With a TTY the output is raw bytes, stdout and stderr merged, as the terminal produced them.
 */
public final class StreamFraming {
    /** The length of a multiplexed frame's header. */
    public static final int HEADER_LENGTH = 8;

    private StreamFraming() {
    }

    /** Multiplexed frames over {@code out}, for containers without a TTY. */
    public static StreamWriter multiplexed(OutputStream out) {
        return new Multiplexed(out);
    }

    /** The bytes as they are over {@code out}, for TTY containers; the stream is not marked. */
    public static StreamWriter raw(OutputStream out) {
        return new Raw(out);
    }

    /** The framing a container's output uses: raw with a TTY, multiplexed without. */
    public static StreamWriter forContainer(boolean tty, OutputStream out) {
        return tty ? raw(out) : multiplexed(out);
    }

    /** Writes the header of a frame of {@code length} bytes of {@code stream} into {@code header[0, 8)}. */
    static void header(StdStream stream, int length, byte[] header) {
        header[0] = (byte) stream.id();
        header[1] = 0;
        header[2] = 0;
        header[3] = 0;
        header[4] = (byte) (length >>> 24);
        header[5] = (byte) (length >>> 16);
        header[6] = (byte) (length >>> 8);
        header[7] = (byte) length;
    }

    private record Multiplexed(OutputStream out) implements StreamWriter {
        @Override
        public void write(StdStream stream, byte[] data, int off, int len) throws IOException {
            if (len == 0) {
                return;
            }
            byte[] frame = new byte[HEADER_LENGTH + len];
            header(stream, len, frame);
            System.arraycopy(data, off, frame, HEADER_LENGTH, len);
            synchronized (this) {
                out.write(frame);
            }
        }

        @Override
        public synchronized void flush() throws IOException {
            out.flush();
        }
    }

    private record Raw(OutputStream out) implements StreamWriter {
        @Override
        public synchronized void write(StdStream stream, byte[] data, int off, int len) throws IOException {
            if (len > 0) {
                out.write(data, off, len);
            }
        }

        @Override
        public synchronized void flush() throws IOException {
            out.flush();
        }
    }
}
