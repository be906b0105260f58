package berth.cli.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * One stream connection to a unix socket. Its input and output streams go straight to the channel's read
 * and write (which lock separately), so one thread may read while another writes, as a hijacked attach needs.
 */
public final class UnixConnection implements java.io.Closeable {
    private final SocketChannel channel;
    private final InputStream in;
    private final OutputStream out;

    private UnixConnection(SocketChannel channel) {
        this.channel = channel;
        this.in = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) return 0;
                int n = channel.read(ByteBuffer.wrap(b, off, len));
                return n == 0 ? -1 : n;
            }
        };
        this.out = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                while (buf.hasRemaining()) channel.write(buf);
            }
        };
    }

    /** Connects to the socket at {@code path}; a {@link ConnectException} says why nothing answered there. */
    public static UnixConnection open(Path path) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(path));
            return new UnixConnection(ch);
        } catch (IOException e) {
            ch.close();
            ConnectException refused = new ConnectException("connect " + path + ": " + e.getMessage());
            refused.initCause(e);
            throw refused;
        }
    }

    public InputStream input() {
        return in;
    }

    public OutputStream output() {
        return out;
    }

    /** Half-close: the peer reads end of stream, and this side can still read. */
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
