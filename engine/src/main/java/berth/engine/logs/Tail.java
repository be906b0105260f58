package berth.engine.logs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Finds where the last N entries of a log file start, reading backwards from the end as {@code tail} does. */
final class Tail {
    private static final int BLOCK = 64 * 1024;

    /** Where the wanted entries of one file start, and how many of them the file holds. */
    record Start(long offset, int entries) {
    }

    private Tail() {
    }

    /** The start of the last {@code wanted} complete entries of {@code file}'s first {@code end} bytes. */
    static Start lastEntries(FileChannel file, long end, int wanted) throws IOException {
        ByteBuffer block = ByteBuffer.allocate(BLOCK);
        long pos = end;
        int newlines = 0;
        while (pos > 0) {
            int n = (int) Math.min(BLOCK, pos);
            long blockStart = pos - n;
            block.clear().limit(n);
            while (block.hasRemaining()) {
                if (file.read(block, blockStart + block.position()) < 0) {
                    throw new IOException("log file shrank while reading its tail");
                }
            }
            byte[] b = block.array();
            for (int i = n - 1; i >= 0; i--) {
                // The newline that ends an entry; the (wanted+1)th one from the end ends the entry before them.
                if (b[i] == '\n' && ++newlines == wanted + 1) {
                    return new Start(blockStart + i + 1, wanted);
                }
            }
            pos = blockStart;
        }
        return new Start(0, newlines);
    }
}
