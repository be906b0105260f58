package berth.cli.client;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StdStreamsTest {
    static byte[] frame(int stream, String payload) {
        byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        byte[] f = new byte[8 + p.length];
        f[0] = (byte) stream;
        f[4] = (byte) (p.length >>> 24);
        f[5] = (byte) (p.length >>> 16);
        f[6] = (byte) (p.length >>> 8);
        f[7] = (byte) p.length;
        System.arraycopy(p, 0, f, 8, p.length);
        return f;
    }

    @Test
    void framesGoToTheirStreams() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(frame(1, "out 1\n"));
        all.write(frame(2, "err\n"));
        all.write(frame(1, "x".repeat(70_000)));
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        StdStreams.demultiplex(new ByteArrayInputStream(all.toByteArray()), out, err);
        assertEquals("out 1\n" + "x".repeat(70_000), out.toString(StandardCharsets.UTF_8));
        assertEquals("err\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aDaemonErrorFrameAndATruncatedFrameFail() {
        IOException e = assertThrows(IOException.class, () -> StdStreams.demultiplex(new ByteArrayInputStream(frame(3, "boom")),
                new ByteArrayOutputStream(), new ByteArrayOutputStream()));
        assertTrue(e.getMessage().contains("boom"), e.getMessage());
        byte[] f = frame(1, "abcdef");
        byte[] cut = java.util.Arrays.copyOf(f, f.length - 2);
        assertThrows(IOException.class, () -> StdStreams.demultiplex(new ByteArrayInputStream(cut), new ByteArrayOutputStream(), new ByteArrayOutputStream()));
    }
}
