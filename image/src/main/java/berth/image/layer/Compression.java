package berth.image.layer;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;

/** How a layer blob is compressed, told from its first bytes rather than from a media type. */
public enum Compression {
    NONE,
    /** RFC 1952; concatenated members (as pigz writes them) are one stream. */
    GZIP,
    /** RFC 8878 frames, skippable frames included. */
    ZSTD;

    private static final int BUFFER = 1 << 16;
    private static final int ZSTD_LEVEL = 3;

    /**
     * Looks at the first four bytes of {@code in} and puts them back, so the stream must support
     * {@link InputStream#mark} (wrap a file or network stream in a {@link BufferedInputStream}).
     */
    public static Compression detect(InputStream in) throws IOException {
        if (!in.markSupported()) {
            throw new IllegalArgumentException("Compression.detect needs a stream that can mark and reset (a BufferedInputStream)");
        }
        byte[] head = new byte[4];
        in.mark(head.length);
        int n = in.readNBytes(head, 0, head.length);
        in.reset();
        return detect(head, n);
    }

    /** The compression of a blob that starts with {@code head[0..length)}. */
    public static Compression detect(byte[] head, int length) {
        int b0 = length > 0 ? head[0] & 0xff : -1, b1 = length > 1 ? head[1] & 0xff : -1;
        if (b0 == 0x1f && b1 == 0x8b) return GZIP;
        if (length >= 4) {
            int b2 = head[2] & 0xff, b3 = head[3] & 0xff;
            if (b0 == 0x28 && b1 == 0xb5 && b2 == 0x2f && b3 == 0xfd) return ZSTD;
            if ((b0 & 0xf0) == 0x50 && b1 == 0x2a && b2 == 0x4d && b3 == 0x18) return ZSTD; // skippable frame
        }
        return NONE;
    }

    /** {@code in} decompressed, whatever its compression; closing the result closes {@code in}. */
    public static InputStream decompressed(InputStream in) throws IOException {
        InputStream buffered = in.markSupported() ? in : new BufferedInputStream(in, BUFFER);
        return detect(buffered).decompress(buffered);
    }

    /** A stream of {@code in}'s uncompressed bytes; closing it closes {@code in}. */
    public InputStream decompress(InputStream in) throws IOException {
        return switch (this) {
            case NONE -> in;
            case GZIP -> new GZIPInputStream(in, BUFFER);
            case ZSTD -> new BufferedInputStream(new ZstdInputStreamNoFinalizer(in), BUFFER);
        };
    }

    /**
     * A stream that compresses into {@code out}; closing it finishes the compressed stream and closes
     * {@code out}. NONE returns {@code out} itself.
     */
    public OutputStream compress(OutputStream out) throws IOException {
        return switch (this) {
            case NONE -> out;
            case GZIP -> new GZIPOutputStream(out, BUFFER);
            case ZSTD -> new ZstdOutputStreamNoFinalizer(out, ZSTD_LEVEL);
        };
    }
}
