package berth.image.layer;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

import berth.image.Digest;

/** Digests and counts every byte written through it. Closing it does not close the stream under it. */
final class DigestingOutputStream extends FilterOutputStream {
    private final MessageDigest md = Digest.sha256();
    private long count;

    DigestingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        md.update((byte) b);
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        md.update(b, off, len);
        count += len;
    }

    @Override
    public void close() throws IOException {
        flush();
    }

    Digest digest() {
        return Digest.of(md);
    }

    long size() {
        return count;
    }
}
