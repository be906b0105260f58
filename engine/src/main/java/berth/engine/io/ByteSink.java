package berth.engine.io;

/**
 * Where one watched stream's bytes go, called on the {@link IoLoop}'s thread: it must not block on anything
 * slower than a local file write (attached clients get the bytes through their own bounded queues).
 */
public interface ByteSink {
    /** A sink that drops what it gets: for pipes that are read only to learn when their writers are gone. */
    ByteSink DISCARD = new ByteSink() {
        @Override
        public boolean write(byte[] data, int off, int len) {
            return true;
        }

        @Override
        public void end() {
        }
    };

    /**
     * Takes {@code data[off, off+len)}, which is only valid during the call. Returns false when the reader behind
     * the sink wants no more for now: the loop then stops reading the whole session until {@link
     * IoLoop.Session#resume()}, so that the process blocks on its full pipe instead of the daemon buffering.
     */
    boolean write(byte[] data, int off, int len);

    /** The stream reached its end (or failed); nothing more comes. */
    void end();
}
