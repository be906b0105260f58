package berth.engine.logs;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Splits a multiplexed stream (see {@link StreamFraming}) back into its frames, for clients such as the berth CLI:
 * Docker's {@code stdcopy.StdCopy}.
 */
public final class FrameReader {
    private final InputStream in;
    private final byte[] header = new byte[StreamFraming.HEADER_LENGTH];

    public FrameReader(InputStream in) {
        this.in = in;
    }

    /** One frame: whose it is and its payload. */
    public record Frame(StdStream stream, byte[] payload) {
    }

    /**
     * The next frame, or empty when the stream ends between frames.
     *
     * @throws EOFException if the stream ends inside a frame
     * @throws IOException  if a header names no stream
     */
    public Optional<Frame> next() throws IOException {
        int got = in.readNBytes(header, 0, header.length);
        if (got == 0) {
            return Optional.empty();
        }
        if (got < header.length) {
            throw new EOFException("the stream ended inside a frame header after " + got + " of 8 bytes");
        }
        StdStream stream = StdStream.ofId(header[0] & 0xff).orElseThrow(() ->
                new IOException("unrecognized stream id " + (header[0] & 0xff) + " in a multiplexed frame header"));
        long length = ((header[4] & 0xffL) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8) | (header[7] & 0xff);
        if (length > Integer.MAX_VALUE - 8) {
            throw new IOException("a multiplexed frame of " + length + " bytes is too large to read");
        }
        byte[] payload = in.readNBytes((int) length);
        if (payload.length < length) {
            throw new EOFException("the stream ended inside a " + length + "-byte frame after " + payload.length + " bytes");
        }
        return Optional.of(new Frame(stream, payload));
    }

    /**
     * Copies every frame to its destination until the stream ends: stdin and stdout frames to {@code stdout},
     * stderr frames to {@code stderr}.
     *
     * @return the payload bytes copied
     * @throws IOException with the daemon's message when a frame of {@link StdStream#SYSTEMERR} arrives
     */
    public long copyTo(OutputStream stdout, OutputStream stderr) throws IOException {
        long copied = 0;
        for (Optional<Frame> f = next(); f.isPresent(); f = next()) {
            Frame frame = f.get();
            switch (frame.stream()) {
                case STDIN, STDOUT -> stdout.write(frame.payload());
                case STDERR -> stderr.write(frame.payload());
                case SYSTEMERR -> throw new IOException("error from daemon in stream: "
                        + new String(frame.payload(), StandardCharsets.UTF_8).strip());
            }
            copied += frame.payload().length;
        }
        return copied;
    }
}
