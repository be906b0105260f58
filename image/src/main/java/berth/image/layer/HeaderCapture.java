package berth.image.layer;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Sits under the tar reader and keeps a copy of the bytes it reads while it looks for the next entry: the
 * entry's header blocks with any PAX extended header and GNU long name before it. Two reasons: a hostile
 * layer's header (a PAX record or long name of gigabytes) must fail at a limit instead of filling memory, and
 * PAX xattr values are binary, which the tar library decodes as UTF-8; {@link RawHeaders} reads them from this
 * copy.
 */
final class HeaderCapture extends FilterInputStream {
    static final int BLOCK = 512;

    private final int limit;
    private final byte[] one = new byte[1];
    private long position;
    private long startedAt;
    private ByteArrayOutputStream captured;

    /** @param limit the most bytes one entry's headers may take */
    HeaderCapture(InputStream in, int limit) {
        super(in);
        this.limit = limit;
    }

    /** Starts copying; call before asking the tar reader for the next entry. */
    void begin() {
        captured = new ByteArrayOutputStream();
        startedAt = position;
    }

    /**
     * Stops copying and returns the header blocks read since {@link #begin}: from the first 512-byte boundary
     * on, leaving out the padding of the entry before (its content is read through before the next begin).
     */
    byte[] end() {
        byte[] all = captured.toByteArray();
        captured = null;
        long aligned = (startedAt + BLOCK - 1) / BLOCK * BLOCK;
        int skip = (int) Math.min(all.length, aligned - startedAt);
        return Arrays.copyOfRange(all, skip, all.length);
    }

    @Override
    public int read() throws IOException {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (captured != null) len = Math.min(len, limit + 1 - captured.size()); // at least 1: the limit throws
        int n = in.read(b, off, len);
        if (n > 0) {
            position += n;
            if (captured != null) {
                captured.write(b, off, n);
                if (captured.size() > limit) {
                    throw new HeaderTooLarge("a tar header (PAX extended header or long name) is larger than " + (limit >> 20) + " MiB");
                }
            }
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] scratch = new byte[(int) Math.min(n, 1 << 16)];
        long skipped = 0;
        while (skipped < n) {
            int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (r < 0) break;
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** The limit was passed; the tar library lets this through as it is. */
    static final class HeaderTooLarge extends java.io.IOException {
        HeaderTooLarge(String message) {
            super(message);
        }
    }
}
