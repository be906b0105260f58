package berth.image.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompressionTest {
    private static final byte[] DATA = "layer bytes ".repeat(500).getBytes();

    @TempDir
    Path tmp;

    @Test
    void magicNumbersTellTheCompression() {
        assertEquals(Compression.GZIP, Compression.detect(new byte[] {0x1f, (byte) 0x8b, 8, 0}, 4));
        assertEquals(Compression.ZSTD, Compression.detect(new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd}, 4));
        assertEquals(Compression.ZSTD, Compression.detect(new byte[] {0x5e, 0x2a, 0x4d, 0x18}, 4), "a skippable frame first");
        assertEquals(Compression.NONE, Compression.detect("usta".getBytes(), 4));
        assertEquals(Compression.NONE, Compression.detect(new byte[] {0x1f}, 1));
        assertEquals(Compression.NONE, Compression.detect(new byte[0], 0));
    }

    @Test
    void whatIsCompressedDecompressesToTheSameBytes() throws IOException {
        for (Compression c : Compression.values()) {
            byte[] packed = compress(c, DATA);
            InputStream in = new BufferedInputStream(new ByteArrayInputStream(packed));
            assertEquals(c, Compression.detect(in));
            try (InputStream plain = Compression.detect(in).decompress(in)) {
                assertArrayEquals(DATA, plain.readAllBytes(), c.name());
            }
        }
    }

    @Test
    void decompressedTakesAnyStream() throws IOException {
        Path file = Files.write(tmp.resolve("blob"), compress(Compression.ZSTD, DATA));
        try (InputStream plain = Compression.decompressed(Files.newInputStream(file))) {
            assertArrayEquals(DATA, plain.readAllBytes());
        }
    }

    @Test
    void detectSaysWhenTheStreamCannotBeRewound() throws IOException {
        Path file = Files.write(tmp.resolve("blob"), DATA);
        try (InputStream in = Files.newInputStream(file)) {
            assertThrows(IllegalArgumentException.class, () -> Compression.detect(in));
        }
    }

    private static byte[] compress(Compression c, byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = c.compress(out)) {
            z.write(data);
        }
        return out.toByteArray();
    }
}
