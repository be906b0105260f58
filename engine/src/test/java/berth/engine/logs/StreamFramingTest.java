package berth.engine.logs;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Docker's multiplexed and raw stream formats, and splitting a multiplexed stream back. */
class StreamFramingTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void write(StreamWriter w, StdStream stream, String text) throws IOException {
        byte[] b = utf8(text);
        w.write(stream, b, 0, b.length);
    }

    @Test
    void aFrameIsStreamIdThreeZerosBigEndianLengthThenThePayload() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StreamWriter w = StreamFraming.multiplexed(out);
        write(w, StdStream.STDOUT, "hi\n");
        write(w, StdStream.STDERR, "");
        write(w, StdStream.STDERR, "err");
        assertArrayEquals(new byte[]{1, 0, 0, 0, 0, 0, 0, 3, 'h', 'i', '\n', 2, 0, 0, 0, 0, 0, 0, 3, 'e', 'r', 'r'},
                out.toByteArray());
    }

    @Test
    void theLengthIsBigEndianBeyondOneByte() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] payload = new byte[0x012345];
        StreamFraming.multiplexed(out).write(StdStream.STDOUT, payload, 0, payload.length);
        assertArrayEquals(new byte[]{1, 0, 0, 0, 0, 0x01, 0x23, 0x45}, Arrays.copyOf(out.toByteArray(), 8));
        assertEquals(8 + payload.length, out.size());
    }

    @Test
    void rawModeWritesTheBytesAsTheyAre() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StreamWriter w = StreamFraming.forContainer(true, out);
        write(w, StdStream.STDOUT, "$ ");
        write(w, StdStream.STDERR, "oops\r\n");
        assertEquals("$ oops\r\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void framesRoundTripThroughTheReader() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        StreamWriter w = StreamFraming.multiplexed(wire);
        List<String> texts = List.of("one\n", "two", "x".repeat(70_000), "three\n");
        write(w, StdStream.STDOUT, texts.get(0));
        write(w, StdStream.STDERR, texts.get(1));
        write(w, StdStream.STDOUT, texts.get(2));
        write(w, StdStream.STDIN, texts.get(3));
        FrameReader reader = new FrameReader(new ByteArrayInputStream(wire.toByteArray()));
        assertEquals(StdStream.STDOUT, reader.next().orElseThrow().stream());
        FrameReader.Frame err = reader.next().orElseThrow();
        assertEquals(StdStream.STDERR, err.stream());
        assertArrayEquals(utf8("two"), err.payload());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream errOut = new ByteArrayOutputStream();
        long copied = new FrameReader(new ByteArrayInputStream(wire.toByteArray())).copyTo(out, errOut);
        assertEquals(texts.get(0) + texts.get(2) + texts.get(3), out.toString(StandardCharsets.UTF_8));
        assertEquals("two", errOut.toString(StandardCharsets.UTF_8));
        assertEquals(texts.stream().mapToInt(String::length).sum(), copied);
    }

    @Test
    void theReaderReportsDaemonErrorsTruncationAndUnknownStreams() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        write(StreamFraming.multiplexed(wire), StdStream.SYSTEMERR, "Error grabbing logs: disk on fire\n");
        IOException daemon = assertThrows(IOException.class, () ->
                new FrameReader(new ByteArrayInputStream(wire.toByteArray())).copyTo(OutputStream.nullOutputStream(), OutputStream.nullOutputStream()));
        assertEquals("error from daemon in stream: Error grabbing logs: disk on fire", daemon.getMessage());

        byte[] cut = Arrays.copyOf(wire.toByteArray(), 12);
        EOFException truncated = assertThrows(EOFException.class, () -> new FrameReader(new ByteArrayInputStream(cut)).next());
        assertTrue(truncated.getMessage().startsWith("the stream ended inside a 34-byte frame"), truncated.getMessage());
        assertThrows(EOFException.class, () -> new FrameReader(new ByteArrayInputStream(new byte[]{1, 0, 0})).next());

        byte[] unknown = {7, 0, 0, 0, 0, 0, 0, 0};
        IOException e = assertThrows(IOException.class, () -> new FrameReader(new ByteArrayInputStream(unknown)).next());
        assertEquals("unrecognized stream id 7 in a multiplexed frame header", e.getMessage());
        assertTrue(new FrameReader(new ByteArrayInputStream(new byte[0])).next().isEmpty());
    }
}
