package berth.engine.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** A connection that a handler took over for raw bytes; see {@link Exchange#hijack}. */
final class HijackedConnection implements Hijacked {
    private final HttpConnection connection;
    private final InputStream in;
    private final ChannelOutput out;

    HijackedConnection(HttpConnection connection, InputStream in) {
        this.connection = connection;
        this.in = in;
        this.out = new ChannelOutput(connection.out(), bytes -> bytes, connection::shutdownOutputAfterWrites, false);
    }

    @Override
    public InputStream in() {
        return in;
    }

    /** Closing this stream is {@link #closeOutput()}. */
    @Override
    public OutputStream out() {
        return out;
    }

    @Override
    public void closeOutput() {
        try {
            out.close();
        } catch (IOException e) {
            // the client is gone: there is no output left to end
        }
    }

    @Override
    public void close() {
        try {
            out.flush();
        } catch (IOException e) {
            // the client is gone or the output was closed already: closing is all that is left
        }
        connection.closeAfterWrites();
    }
}
