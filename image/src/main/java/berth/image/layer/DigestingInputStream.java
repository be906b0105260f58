package berth.image.layer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

import berth.image.Digest;

/**
 * Digests and counts every byte read through it. Skipping reads (so nothing escapes the digest) and
 * marking is not supported (so nothing is digested twice).
 */
final class DigestingInputStream extends FilterInputStream {
    private final MessageDigest md = Digest.sha256();
    private final byte[] scratch = new byte[1 << 16];
    private long count;

    DigestingInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            md.update((byte) b);
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            md.update(b, off, n);
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
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

    /** Reads what is left, so the digest covers the whole stream (a tar's zero blocks and anything after). */
    void drain() throws IOException {
        while (read(scratch, 0, scratch.length) >= 0) {
            // digested by read
        }
    }

    Digest digest() {
        return Digest.of(md);
    }

    long size() {
        return count;
    }
}
