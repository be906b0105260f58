package berth.image.registry;

import berth.image.Digest;
import berth.image.ImageException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/** Passes a whole blob through and, at its end, throws unless the bytes had the expected digest. */
final class VerifyingInputStream extends FilterInputStream {
    private final Digest expected;
    private final String what;
    private final MessageDigest md = Digest.sha256();
    private boolean checked;

    VerifyingInputStream(InputStream in, Digest expected, String what) {
        super(in);
        this.expected = expected;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b < 0) verify();
        else md.update((byte) b);
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n < 0) verify();
        else md.update(buf, off, n);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("skip is not supported on a verified blob stream");
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void verify() {
        if (checked) return;
        checked = true;
        Digest actual = Digest.of(md);
        if (!actual.equals(expected)) throw new ImageException(what + ": content has digest " + actual + " (corrupt or tampered)");
    }
}
