package berth.engine.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** A raw HTTP/1.1 client over a unix socket for the tests: sends bytes as given and parses what comes back. */
final class UnixHttpClient implements AutoCloseable {
    /** A response: status, headers (names lower-cased) and body. */
    record Response(int status, String reason, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** The status line and headers of a response whose body is read separately. */
    record Head(int status, String reason, Map<String, String> headers) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final SocketChannel channel;
    private final InputStream in;

    private UnixHttpClient(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedIn(channel);
    }

    static UnixHttpClient connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        return new UnixHttpClient(ch);
    }

    SocketChannel channel() {
        return channel;
    }

    InputStream in() {
        return in;
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    void send(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    /** Sends a request without body and reads the response. */
    Response exchange(String method, String target) throws IOException {
        send(method + " " + target + " HTTP/1.1\r\nHost: test\r\n\r\n");
        return read(method.equals("HEAD"));
    }

    void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    Response read(boolean toHead) throws IOException {
        Head h = readHead();
        return new Response(h.status(), h.reason(), h.headers(), readBody(h, toHead));
    }

    Head readHead() throws IOException {
        String status = line();
        String[] parts = status.split(" ", 3);
        Map<String, String> headers = new TreeMap<>();
        for (String l = line(); !l.isEmpty(); l = line()) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
        }
        return new Head(Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : "", headers);
    }

    byte[] readBody(Head h, boolean toHead) throws IOException {
        if (toHead || h.status() == 204 || h.status() == 304 || h.status() / 100 == 1) {
            return new byte[0];
        }
        if ("chunked".equalsIgnoreCase(h.header("transfer-encoding"))) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (byte[] chunk = readChunk(); chunk != null; chunk = readChunk()) {
                body.write(chunk);
            }
            return body.toByteArray();
        }
        if (h.header("content-length") != null) {
            return in.readNBytes(Integer.parseInt(h.header("content-length")));
        }
        return in.readAllBytes();
    }

    /** The next chunk of a chunked body, or null after the last one. */
    byte[] readChunk() throws IOException {
        int size = Integer.parseInt(line().split(";")[0].trim(), 16);
        if (size == 0) {
            for (String l = line(); !l.isEmpty(); l = line()) {
                // trailers
            }
            return null;
        }
        byte[] chunk = in.readNBytes(size);
        if (chunk.length < size || !line().isEmpty()) {
            throw new IOException("malformed chunk");
        }
        return chunk;
    }

    String line() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("connection closed in the middle of a line: " + b);
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Buffered reads straight from the channel (Channels.newInputStream would block writes while reading). */
    private static final class BufferedIn extends InputStream {
        private final SocketChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024).flip();

        BufferedIn(SocketChannel channel) {
            this.channel = channel;
        }

        @Override
        public int read() throws IOException {
            return fill() ? buffer.get() & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, buffer.remaining());
            buffer.get(b, off, n);
            return n;
        }

        private boolean fill() throws IOException {
            if (buffer.hasRemaining()) {
                return true;
            }
            buffer.clear();
            int n = channel.read(buffer);
            buffer.flip();
            return n > 0;
        }
    }
}
