package berth.engine.http;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * A connection taken over from HTTP for raw bytes both ways (attach, exec start). Closing it closes the
 * connection; the server also closes it when the handler returns.
 */
public interface Hijacked extends AutoCloseable {

    /**
     * Bytes the client sends after the upgrade; end of stream when it shuts down its write side (half-close) or
     * disconnects. Without an upgrade (a plain POST) this is the request body.
     */
    InputStream in();

    /**
     * Raw bytes to the client, sent on {@code flush()} (and whenever the buffer fills). Safe for several threads:
     * each {@code write} call stays whole. Writes fail with an IOException once the client is gone.
     */
    OutputStream out();

    /** Flushes the output and shuts down our write side (half-close) once output is complete; {@link #in()} keeps working. */
    void closeOutput();

    /** Flushes the output and closes the connection. */
    @Override
    void close();
}
