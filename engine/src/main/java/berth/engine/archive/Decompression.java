package berth.engine.archive;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

import berth.image.layer.Compression;

/**
 * The tar stream inside what a client sends to {@code PUT /containers/{id}/archive}, told by its first bytes
 * as Docker's {@code DecompressStream} does: plain, gzip, bzip2 or zstd. An xz stream is refused: reading it
 * needs the {@code org.tukaani:xz} library, which berth does not carry.
 */
final class Decompression {
    private static final int HEAD = 6;
    private static final byte[] XZ = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0};

    private Decompression() {}

    static InputStream decompressed(InputStream in) throws IOException {
        InputStream b = new BufferedInputStream(in, 1 << 16);
        b.mark(HEAD);
        byte[] head = b.readNBytes(HEAD);
        b.reset();
        if (head.length >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h') {
            return new BZip2CompressorInputStream(b, true);
        }
        if (Arrays.equals(head, XZ)) {
            throw new ArchiveException.Invalid("the archive is xz-compressed; berth reads plain, gzip, bzip2 and zstd tar streams");
        }
        return Compression.detect(head, head.length).decompress(b);
    }
}
