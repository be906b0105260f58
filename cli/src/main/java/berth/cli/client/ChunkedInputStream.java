package berth.cli.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** Decodes a {@code Transfer-Encoding: chunked} body (extensions and trailers are read and dropped). */
final class ChunkedInputStream extends InputStream {
    private final InputStream in;
    private long chunkLeft;
    private boolean done;

    ChunkedInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (chunkLeft == 0 && !nextChunk()) return -1;
        int n = in.read(b, off, (int) Math.min(len, chunkLeft));
        if (n < 0) throw new EOFException("the daemon closed the connection in the middle of a chunk");
        chunkLeft -= n;
        if (chunkLeft == 0) crlf();
        return n;
    }

    private boolean nextChunk() throws IOException {
        if (done) return false;
        String line = ResponseReader.line(in);
        if (line == null) throw new EOFException("the daemon closed the connection before the last chunk");
        int semi = line.indexOf(';');
        String hex = (semi >= 0 ? line.substring(0, semi) : line).strip();
        try {
            chunkLeft = Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new IOException("malformed chunk size: " + line);
        }
        if (chunkLeft < 0) throw new IOException("malformed chunk size: " + line);
        if (chunkLeft == 0) {
            for (String t = ResponseReader.line(in); t != null && !t.isEmpty(); t = ResponseReader.line(in)) {
                // trailers carry nothing berth uses
            }
            done = true;
            return false;
        }
        return true;
    }

    private void crlf() throws IOException {
        String rest = ResponseReader.line(in);
        if (rest == null || !rest.isEmpty()) throw new IOException("malformed chunk: no CRLF after its data");
    }
}
