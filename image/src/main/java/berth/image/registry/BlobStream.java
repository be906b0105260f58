package berth.image.registry;

import java.io.IOException;
import java.io.InputStream;

/**
 * A blob download in progress.
 *
 * @param body   the bytes, from {@code offset} on; close it when done
 * @param offset where {@code body} starts in the blob: the offset asked for if the registry honoured the
 *               Range (206), else 0 (it sent the whole blob)
 * @param length the number of bytes in {@code body} (Content-Length), or -1 if not said
 */
public record BlobStream(InputStream body, long offset, long length) implements AutoCloseable {

    /** Whether the download continues an earlier one (the registry honoured a Range from a non-zero offset). */
    public boolean resumed() {
        return offset > 0;
    }

    @Override
    public void close() throws IOException {
        body.close();
    }
}
