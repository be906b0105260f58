package berth.engine.logs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Entries byte for byte as Docker's json-file driver writes them. The expected lines are written by hand from
 * moby's {@code jsonlog/jsonlogbytes.go} and its test, and Go's {@code time.RFC3339Nano}.
 */
class JsonLogCodecTest {
    private static final Instant T = Instant.parse("2026-11-23T10:00:00.123456789Z");

    private static String encode(StdStream stream, byte[] log, Instant time) {
        ByteBuilder out = new ByteBuilder(16);
        JsonLogCodec.encode(stream, log, 0, log.length, time, out);
        return new String(out.array(), 0, out.length(), StandardCharsets.UTF_8);
    }

    private static String logField(byte[] log) {
        String line = encode(StdStream.STDOUT, log, T);
        String suffix = ",\"stream\":\"stdout\",\"time\":\"2026-11-23T10:00:00.123456789Z\"}\n";
        assertEquals(suffix, line.substring(line.length() - suffix.length()), line);
        return line.substring("{\"log\":".length(), line.length() - suffix.length());
    }

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aLineIsLogStreamTimeInThatOrderAndANewline() {
        assertEquals("{\"log\":\"hello world\\n\",\"stream\":\"stdout\",\"time\":\"2026-11-23T10:00:00.123456789Z\"}\n",
                encode(StdStream.STDOUT, utf8("hello world\n"), T));
        assertEquals("{\"log\":\"oops\\n\",\"stream\":\"stderr\",\"time\":\"2017-09-01T01:01:01.000000001Z\"}\n",
                encode(StdStream.STDERR, utf8("oops\n"), Instant.parse("2017-09-01T01:01:01.000000001Z")));
    }

    @Test
    void anEmptyLogFieldIsLeftOutAsGoOmitemptyDoes() {
        assertEquals("{\"stream\":\"stdout\",\"time\":\"2026-11-23T10:00:00.123456789Z\"}\n",
                encode(StdStream.STDOUT, new byte[0], T));
    }

    @Test
    void timesAreRfc3339NanoWithTrailingZerosDropped() {
        assertEquals("{\"log\":\"x\",\"stream\":\"stdout\",\"time\":\"2026-11-23T10:00:00.12Z\"}\n",
                encode(StdStream.STDOUT, utf8("x"), Instant.parse("2026-11-23T10:00:00.120000000Z")));
        assertEquals("{\"log\":\"x\",\"stream\":\"stdout\",\"time\":\"2026-11-23T10:00:00Z\"}\n",
                encode(StdStream.STDOUT, utf8("x"), Instant.parse("2026-11-23T10:00:00Z")));
        assertThrows(DateTimeException.class, () -> encode(StdStream.STDOUT, utf8("x"), Instant.parse("+10000-01-01T00:00:00Z")));
    }

    @Test
    void quotesBackslashesCarriageReturnsAndNewlinesGetShortEscapes() {
        // moby: {Log: []byte(`"A log line with \\"`)} -> {"log":"\"A log line with \\\\\""
        assertEquals("\"\\\"A log line with \\\\\\\\\\\"\"", logField(utf8("\"A log line with \\\\\"")));
        assertEquals("\"A log line with \\r\"", logField(utf8("A log line with \r")));
        assertEquals("\"a\\r\\n\"", logField(utf8("a\r\n")));
    }

    @Test
    void otherControlBytesAreU00Escapes_EvenTab_ButDeleteStaysRaw() {
        assertEquals("\"\\u0000\\u0001\\u0009\\u000b\\u000c\\u001b[0m\\u001f\"",
                logField(bytes(0, 1, 9, 11, 12, 0x1b, '[', '0', 'm', 0x1f)));
        assertEquals("\"\u007f\"", logField(bytes(0x7f)));
    }

    @Test
    void htmlCharactersAreEscapedAsGoDoes() {
        assertEquals("\"A log line with \\u0026 \\u003c \\u003e\"", logField(utf8("A log line with & < >")));
    }

    @Test
    void validUtf8PassesThroughButLineAndParagraphSeparatorsAreEscaped() {
        assertEquals("\"A log line with utf8 : 🚀 ψ ω β\"", logField(utf8("A log line with utf8 : 🚀 ψ ω β")));
        assertEquals("\"\\u2028 \\u2029\"", logField(utf8("\u2028 \u2029")));
        assertEquals("\"\ufffd is a real replacement character\"", logField(utf8("\ufffd is a real replacement character")));
        assertEquals("\"\u2027\u202a\"", logField(utf8("\u2027\u202a")), "only U+2028 and U+2029");
    }

    @Test
    void eachByteThatIsNotValidUtf8BecomesOneReplacementCharacter() {
        assertEquals("\"\\ufffd\"", logField(bytes(0xaf)), "moby's own case");
        assertEquals("\"\\ufffd(\"", logField(bytes(0xc3, 0x28)), "a lead byte without its continuation");
        assertEquals("\"\\ufffd\\ufffd(\"", logField(bytes(0xe2, 0x82, 0x28)), "a truncated 3-byte sequence");
        assertEquals("\"\\ufffd\\ufffd\"", logField(bytes(0xc0, 0xaf)), "an overlong '/'");
        assertEquals("\"\\ufffd\\ufffd\\ufffd\"", logField(bytes(0xed, 0xa0, 0x80)), "an encoded surrogate");
        assertEquals("\"\\ufffd\\ufffd\\ufffd\\ufffd\"", logField(bytes(0xf4, 0x90, 0x80, 0x80)), "above U+10FFFF");
        assertEquals("\"ok\\ufffd\\ufffd\"", logField(bytes('o', 'k', 0xe2, 0x82)), "cut off at the end");
        assertEquals("\"\\ufffd\"", logField(bytes(0xff)));
    }

    @Test
    void decodingGivesBackWhatDockerLogsWouldPrint() throws IOException {
        byte[] written = bytes('a', 0xc3, 0x28, '<', '\t', '"', 0xe2, 0x80, 0xa8, '\n');
        byte[] line = utf8(encode(StdStream.STDERR, written, T));
        LogEntry entry = JsonLogCodec.decode(line, 0, line.length - 1);
        assertEquals("stderr", entry.stream());
        assertEquals(T, entry.time());
        assertArrayEquals(utf8("a\ufffd(<\t\"\u2028\n"), entry.line());
    }

    @Test
    void decodingReadsWhatDockerWrote() throws IOException {
        byte[] line = utf8("{\"log\":\"hi \\u003cb\\u003e\\n\",\"stream\":\"stdout\",\"attrs\":{\"tag\":\"x\"},\"time\":\"2017-09-01T01:01:01.5+02:00\"}");
        LogEntry entry = JsonLogCodec.decode(line, 0, line.length);
        assertArrayEquals(utf8("hi <b>\n"), entry.line());
        assertEquals(Instant.parse("2017-08-31T23:01:01.5Z"), entry.time());
    }

    @Test
    void decodingRejectsWhatIsNotAnEntry() {
        byte[] notJson = utf8("{\"log\":\"cut");
        IOException e = assertThrows(IOException.class, () -> JsonLogCodec.decode(notJson, 0, notJson.length));
        assertEquals(false, e.getMessage().contains("\n"), e.getMessage());
        byte[] badTime = utf8("{\"log\":\"x\",\"time\":\"yesterday\"}");
        assertThrows(IOException.class, () -> JsonLogCodec.decode(badTime, 0, badTime.length));
    }
}
