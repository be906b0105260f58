package berth.engine.logs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads a byte range of a log file line by line and hands each complete entry, decoded, to a handler. A trailing
 * fragment without its newline (a torn write) is left alone.
 */
final class EntryScanner {
    /** What to do with each entry; returns whether to go on. */
    @FunctionalInterface
    interface EntryHandler {
        boolean entry(LogEntry entry) throws IOException;
    }

    private static final int BLOCK = 64 * 1024;

    private final ByteBuffer block = ByteBuffer.allocate(BLOCK);
    private final ByteBuilder carry = new ByteBuilder(1024);

    /**
     * Scans {@code [from, to)} of {@code file}.
     *
     * @return false if the handler asked to stop
     * @throws IOException if reading fails or an entry is not valid json-file JSON (naming the file offset)
     */
    boolean scan(FileChannel file, long from, long to, String name, EntryHandler handler) throws IOException {
        carry.reset();
        long lineStart = from;
        long pos = from;
        while (pos < to) {
            block.clear();
            block.limit((int) Math.min(BLOCK, to - pos));
            int n = file.read(block, pos);
            if (n < 0) {
                break; // the file is shorter than its recorded size: it was truncated
            }
            byte[] b = block.array();
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (b[i] != '\n') {
                    continue;
                }
                LogEntry entry;
                if (carry.length() == 0) {
                    entry = decode(b, start, i - start, name, lineStart);
                } else {
                    carry.append(b, start, i - start);
                    entry = decode(carry.array(), 0, carry.length(), name, lineStart);
                    carry.reset();
                }
                if (!handler.entry(entry)) {
                    return false;
                }
                start = i + 1;
                lineStart = pos + start;
            }
            carry.append(b, start, n - start);
            pos += n;
        }
        return true;
    }

    private static LogEntry decode(byte[] b, int off, int len, String name, long offset) throws IOException {
        try {
            return JsonLogCodec.decode(b, off, len);
        } catch (IOException e) {
            throw new IOException("corrupt log entry in " + name + " at byte " + offset + ": " + e.getMessage(), e);
        }
    }
}
