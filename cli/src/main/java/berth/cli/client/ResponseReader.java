package berth.cli.client;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads an HTTP/1.1 response head and frames its body: none for HEAD, 1xx (but 101), 204 and 304;
 * {@code Transfer-Encoding: chunked}; {@code Content-Length}; else until the connection closes. The input
 * must be the buffered stream that later reads use, so bytes read ahead stay in the body.
 */
final class ResponseReader {
    private static final int MAX_LINE = 64 * 1024;

    private ResponseReader() {}

    static HttpResponse read(InputStream in, String method, Closeable connection) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) throw new IOException("the daemon closed the connection without a response");
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) throw new IOException("malformed HTTP status line: " + statusLine);
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("malformed HTTP status line: " + statusLine);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            if (colon <= 0) throw new IOException("malformed HTTP header: " + h);
            String name = h.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).strip();
            headers.merge(name, value, (a, b) -> a + ", " + b);
        }
        return new HttpResponse(status, parts.length > 2 ? parts[2] : "", headers, body(in, method, status, headers), connection);
    }

    private static InputStream body(InputStream in, String method, int status, Map<String, String> headers) throws IOException {
        if (status == 101) return in;
        if (method.equals("HEAD") || status / 100 == 1 || status == 204 || status == 304) return InputStream.nullInputStream();
        String te = headers.get("transfer-encoding");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) return new ChunkedInputStream(in);
        String length = headers.get("content-length");
        if (length != null) {
            try {
                return new BoundedInputStream(in, Long.parseLong(length.strip()));
            } catch (NumberFormatException e) {
                throw new IOException("malformed Content-Length: " + length);
            }
        }
        return in;
    }

    /** A line ended by CRLF (or LF), without it; null at end of stream before any byte. */
    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(64);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                byte[] b = buf.toByteArray();
                int n = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
                return new String(b, 0, n, StandardCharsets.ISO_8859_1);
            }
            if (buf.size() >= MAX_LINE) throw new IOException("HTTP line longer than " + MAX_LINE + " bytes");
            buf.write(c);
        }
        if (buf.size() == 0) return null;
        throw new IOException("connection closed in the middle of an HTTP line");
    }
}
