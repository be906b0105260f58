package berth.engine.logs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Serves {@code docker logs} from a json-file log: the existing entries of all its files (or the last
 * {@code tail}), then with {@code follow} the new ones as they are written, across rotations, until the log is
 * closed (the container has ended and every entry was delivered), an entry passes {@code until}, the sink throws
 * (the client went away) or the reading thread is interrupted. Following waits on the writer's notifications, so
 * an idle container costs no CPU.
 *
 * <p>Obtain one from {@link JsonFileLog#reader()} while the container runs, or {@link #forFile(Path)} for a
 * stopped container, whose log is only read (follow ends at its end, as Docker's does).
 */
public final class LogReader {
    private final Path path;
    private final JsonFileLog live;
    private final Clock clock;

    LogReader(Path path, JsonFileLog live, Clock clock) {
        this.path = path;
        this.live = live;
        this.clock = clock;
    }

    /** A reader of the log at {@code logFile} ({@code <dir>/<id>-json.log}) that no one writes to any more. */
    public static LogReader forFile(Path logFile) {
        return new LogReader(logFile, null, Clock.systemUTC());
    }

    /**
     * Delivers the entries {@code options} select to {@code sink}, in order, and returns when done.
     *
     * @throws IOException          if a file cannot be read (naming it), holds a corrupt entry, or the sink fails;
     *                              a {@link java.nio.channels.ClosedByInterruptException} if the thread was
     *                              interrupted while reading a file
     * @throws InterruptedException if the thread was interrupted while waiting for new entries
     */
    public void read(ReadOptions options, LogSink sink) throws IOException, InterruptedException {
        boolean history = options.tail() != 0;
        EntryDelivery delivery = new EntryDelivery(options, sink);
        EntryScanner scanner = new EntryScanner();
        try (LogSnapshot snapshot = snapshot(history)) {
            if (history && !readHistory(snapshot, options.tail(), scanner, delivery)) {
                return;
            }
            if (options.follow() && !snapshot.position().closed()) {
                follow(snapshot, options.until(), scanner, delivery);
            }
        }
    }

    private LogSnapshot snapshot(boolean withRotated) throws IOException {
        if (live != null) {
            return live.snapshot(withRotated);
        }
        List<FileChannel> rotated = withRotated ? LogFiles.openRotated(path) : List.of();
        try {
            FileChannel current = LogFiles.openCurrent(path);
            return new LogSnapshot(rotated, current, new LogPosition(0, current.size(), true));
        } catch (IOException e) {
            LogFiles.closeAll(rotated);
            throw e;
        }
    }

    /** The rotated files, then the current one up to the snapshot's position; false if {@code until} ended it. */
    private boolean readHistory(LogSnapshot snapshot, int tail, EntryScanner scanner, EntryDelivery delivery)
            throws IOException {
        List<Section> sections = new ArrayList<>();
        for (int i = 0; i < snapshot.rotated().size(); i++) {
            FileChannel f = snapshot.rotated().get(i);
            sections.add(new Section(f, 0, f.size(), LogFiles.rotated(path, snapshot.rotated().size() - i).toString()));
        }
        sections.add(new Section(snapshot.current(), 0, snapshot.position().size(), path.toString()));
        int first = 0;
        if (tail != ReadOptions.ALL) {
            int wanted = tail;
            first = sections.size();
            while (first > 0 && wanted > 0) {
                Section s = sections.get(--first);
                Tail.Start start = Tail.lastEntries(s.file, s.to, wanted);
                sections.set(first, new Section(s.file, start.offset(), s.to, s.name));
                wanted -= start.entries();
            }
        }
        for (Section s : sections.subList(first, sections.size())) {
            if (!scanner.scan(s.file, s.from, s.to, s.name, delivery)) {
                return false;
            }
        }
        return true;
    }

    private void follow(LogSnapshot snapshot, Instant until, EntryScanner scanner, EntryDelivery delivery)
            throws IOException, InterruptedException {
        FileChannel file = snapshot.current();
        LogPosition read = snapshot.position();
        try {
            while (true) {
                Instant now = clock.instant();
                boolean untilPassed = until != null && !now.isBefore(until);
                Duration maxWait = until == null ? null : untilPassed ? Duration.ZERO : Duration.between(now, until);
                LogPosition wrote = live.awaitChange(read, maxWait);
                if (wrote.rotation() != read.rotation()) {
                    // The rest of the file that was rotated away, then the new current file from its start.
                    if (!scanner.scan(file, read.size(), file.size(), path.toString(), delivery)) {
                        return;
                    }
                    LogSnapshot next = live.snapshot(false);
                    if (file != snapshot.current()) {
                        file.close();
                    }
                    file = next.current();
                    wrote = next.position();
                    read = new LogPosition(wrote.rotation(), 0, false);
                }
                if (!scanner.scan(file, read.size(), wrote.size(), path.toString(), delivery)) {
                    return;
                }
                if (wrote.closed() || (untilPassed && wrote.samePlace(read))) {
                    return;
                }
                read = wrote;
            }
        } finally {
            if (file != snapshot.current()) {
                file.close();
            }
        }
    }

    /** A byte range of one file to read. */
    private record Section(FileChannel file, long from, long to, String name) {
    }
}
