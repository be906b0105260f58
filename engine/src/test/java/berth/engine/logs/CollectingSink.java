package berth.engine.logs;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** A {@link LogSink} that keeps what it is given as {@code "stdout: text"} strings, for reading or waiting on. */
final class CollectingSink implements LogSink {
    private final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final List<String> taken = new ArrayList<>();

    @Override
    public void accept(StdStream stream, byte[] data, int off, int len) {
        received.add(stream.logName() + ": " + new String(data, off, len, StandardCharsets.UTF_8));
    }

    /** Everything received so far. */
    List<String> all() {
        received.drainTo(taken);
        return List.copyOf(taken);
    }

    /** The next entry not yet taken, failing the test if none comes within {@code timeout}. */
    String next(Duration timeout) throws InterruptedException {
        String s = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (s == null) {
            fail("no log entry delivered within " + timeout);
        }
        taken.add(s);
        return s;
    }
}
