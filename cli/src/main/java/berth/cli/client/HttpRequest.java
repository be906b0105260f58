package berth.cli.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** A request to the daemon: method, target ({@code /v1.44/containers/json?all=1}), extra headers, body. */
public record HttpRequest(String method, String target, Map<String, String> headers, Body body) {

    /** A request body: its length ({@code -1} if unknown, sent chunked) and its bytes. */
    public interface Body {
        long length();

        String contentType();

        void writeTo(OutputStream out) throws IOException;

        static Body bytes(byte[] data, String contentType) {
            return new Body() {
                public long length() {
                    return data.length;
                }

                public String contentType() {
                    return contentType;
                }

                public void writeTo(OutputStream out) throws IOException {
                    out.write(data);
                }
            };
        }

        /** A stream of unknown length (sent chunked); it is read to its end but not closed. */
        static Body stream(InputStream in, String contentType) {
            return new Body() {
                public long length() {
                    return -1;
                }

                public String contentType() {
                    return contentType;
                }

                public void writeTo(OutputStream out) throws IOException {
                    in.transferTo(out);
                }
            };
        }
    }

    public HttpRequest {
        headers = new LinkedHashMap<>(headers);
    }

    public static HttpRequest of(String method, String target) {
        return new HttpRequest(method, target, Map.of(), null);
    }

    public HttpRequest withBody(Body b) {
        return new HttpRequest(method, target, headers, b);
    }

    public HttpRequest withHeader(String name, String value) {
        HttpRequest r = new HttpRequest(method, target, headers, body);
        r.headers.put(name, value);
        return r;
    }
}
