package berth.engine.logs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;

/**
 * The json-file driver's entry format, byte for byte as moby's {@code jsonlog.JSONLogs.MarshalJSONBuf} writes it:
 * {@code {"log":"...","stream":"stdout","time":"<RFC3339Nano>"}} and a newline, fields in that order, strings
 * escaped as Go's HTML-safe JSON encoder does ({@code \"}, {@code \\}, {@code \n}, {@code \r}, every other control
 * byte and {@code < > &} as <code>&#92;u00XX</code>, U+2028/U+2029 as <code>&#92;u2028</code>/<code>&#92;u2029</code>,
 * each byte that is not part of valid UTF-8 as <code>&#92;ufffd</code>); and the reverse.
 */
final class JsonLogCodec {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final JsonFactory JSON = new JsonFactory();
    /** Go's zero {@code time.Time}, which an entry without a {@code "time"} decodes to. */
    private static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

    private JsonLogCodec() {
    }

    /**
     * Appends the entry for one message and its terminating newline to {@code out}. An empty {@code log} is left
     * out, as Go's {@code omitempty} does.
     *
     * @throws DateTimeException if the time lies outside the years 0-9999 (Go refuses to marshal those too)
     */
    static void encode(StdStream stream, byte[] data, int off, int len, Instant time, ByteBuilder out) {
        String timeText = Rfc3339.formatNano(time);
        out.append((byte) '{');
        if (len > 0) {
            out.appendAscii("\"log\":");
            appendString(data, off, len, out);
            out.append((byte) ',');
        }
        out.appendAscii("\"stream\":\"");
        out.appendAscii(stream.logName());
        out.appendAscii("\",\"time\":\"");
        out.appendAscii(timeText);
        out.appendAscii("\"}\n");
    }

    /** Go's {@code ffjsonWriteJSONBytesAsString}: the bytes as a quoted JSON string. */
    static void appendString(byte[] s, int off, int len, ByteBuilder out) {
        out.append((byte) '"');
        int end = off + len;
        int start = off;
        int i = off;
        while (i < end) {
            int b = s[i] & 0xff;
            if (b < 0x80) {
                if (b >= 0x20 && b != '\\' && b != '"' && b != '<' && b != '>' && b != '&') {
                    i++;
                    continue;
                }
                out.append(s, start, i - start);
                switch (b) {
                    case '\\', '"' -> {
                        out.append((byte) '\\');
                        out.append((byte) b);
                    }
                    case '\n' -> out.appendAscii("\\n");
                    case '\r' -> out.appendAscii("\\r");
                    default -> {
                        out.appendAscii("\\u00");
                        out.append(HEX[b >> 4]);
                        out.append(HEX[b & 0xf]);
                    }
                }
                start = ++i;
                continue;
            }
            int size = Utf8.validSequenceLength(s, i, end);
            if (size == 0) {
                out.append(s, start, i - start);
                out.appendAscii("\\ufffd");
                start = ++i;
                continue;
            }
            if (size == 3 && b == 0xe2 && (s[i + 1] & 0xff) == 0x80 && ((s[i + 2] & 0xff) == 0xa8 || (s[i + 2] & 0xff) == 0xa9)) {
                out.append(s, start, i - start);
                out.appendAscii("\\u202");
                out.append(HEX[s[i + 2] & 0xf]);
                i += 3;
                start = i;
                continue;
            }
            i += size;
        }
        out.append(s, start, end - start);
        out.append((byte) '"');
    }

    /**
     * Reads one entry (one line of the file, without its newline).
     *
     * @throws IOException saying what is wrong when the line is not a json-file entry
     */
    static LogEntry decode(byte[] line, int off, int len) throws IOException {
        String stream = "";
        String log = "";
        Instant time = GO_ZERO_TIME;
        try (JsonParser p = JSON.createParser(line, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "log" -> log = text(p, value, field);
                    case "stream" -> stream = text(p, value, field);
                    case "time" -> time = Rfc3339.parse(text(p, value, field));
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IOException("text after the JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new IOException(e.getOriginalMessage(), e);
        } catch (DateTimeException e) {
            throw new IOException(e.getMessage(), e);
        }
        return new LogEntry(stream, log.getBytes(StandardCharsets.UTF_8), time);
    }

    private static String text(JsonParser p, JsonToken value, String field) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            throw new IOException("\"" + field + "\" is not a string");
        }
        return p.getText();
    }
}
