package berth.engine.logs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Applies a read's options to each decoded entry on its way to the sink, as Docker's logs handler does: entries
 * before {@code since} are skipped, the first one after {@code until} ends the read, the time prefix is added, and
 * only the chosen streams pass (entries of other streams are dropped).
 */
final class EntryDelivery implements EntryScanner.EntryHandler {
    private final ReadOptions options;
    private final LogSink sink;
    private final ByteBuilder line = new ByteBuilder(256);

    EntryDelivery(ReadOptions options, LogSink sink) {
        this.options = options;
        this.sink = sink;
    }

    /** Delivers or skips the entry; returns false once an entry lies past {@code until}. */
    @Override
    public boolean entry(LogEntry entry) throws IOException {
        if (options.since() != null && entry.time().isBefore(options.since())) {
            return true;
        }
        if (options.until() != null && entry.time().isAfter(options.until())) {
            return false;
        }
        Optional<StdStream> stream = StdStream.ofLogName(entry.stream());
        if (stream.isEmpty() || !wanted(stream.get())) {
            return true;
        }
        if (!options.timestamps()) {
            sink.accept(stream.get(), entry.line(), 0, entry.line().length);
            return true;
        }
        line.reset();
        byte[] prefix = (Rfc3339.formatNanoFixed(entry.time()) + " ").getBytes(StandardCharsets.US_ASCII);
        line.append(prefix, 0, prefix.length);
        line.append(entry.line(), 0, entry.line().length);
        sink.accept(stream.get(), line.array(), 0, line.length());
        return true;
    }

    private boolean wanted(StdStream stream) {
        return stream == StdStream.STDOUT ? options.stdout() : stream == StdStream.STDERR && options.stderr();
    }
}
