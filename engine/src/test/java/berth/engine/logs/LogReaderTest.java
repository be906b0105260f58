package berth.engine.logs;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static berth.engine.logs.JsonFileLogTest.entry;
import static berth.engine.logs.JsonFileLogTest.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code docker logs}: selection, tail over rotated files, since/until, timestamps and follow. */
class LogReaderTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final String id = UUID.randomUUID().toString().replace("-", "");
    private JsonFileLog log;
    private Thread follower;

    @AfterEach
    void cleanUp() throws Exception {
        if (follower != null) {
            follower.interrupt();
            follower.join(WAIT.toMillis());
        }
        if (log != null) {
            log.close();
        }
    }

    private static Instant t(int seconds) {
        return T0.plusSeconds(seconds);
    }

    /** Seven entries, stdout odd and stderr even, rotated so that .2 holds 3-4, .1 holds 5-6 and the current 7. */
    private void sevenRotatedEntries() throws IOException {
        int entryLength = entry("stdout", "line 1\n", T0).length();
        log = JsonFileLog.open(dir, id, new LogRotation(2L * entryLength, 3));
        for (int i = 1; i <= 7; i++) {
            write(log, i % 2 == 1 ? StdStream.STDOUT : StdStream.STDERR, "line " + i + "\n", t(i));
        }
        assertTrue(Files.exists(dir.resolve(id + "-json.log.2")));
    }

    private List<String> read(ReadOptions options) throws Exception {
        CollectingSink sink = new CollectingSink();
        log.reader().read(options, sink);
        return sink.all();
    }

    private static List<String> lines(String... numbered) {
        return java.util.Arrays.stream(numbered)
                .map(n -> (Integer.parseInt(n) % 2 == 1 ? "stdout" : "stderr") + ": line " + n + "\n").toList();
    }

    @Test
    void allEntriesOfAllFilesInOrder() throws Exception {
        sevenRotatedEntries();
        assertEquals(lines("3", "4", "5", "6", "7"), read(ReadOptions.all()));
    }

    @Test
    void streamSelection() throws Exception {
        sevenRotatedEntries();
        assertEquals(lines("3", "5", "7"), read(ReadOptions.all().withStreams(true, false)));
        assertEquals(lines("4", "6"), read(ReadOptions.all().withStreams(false, true)));
        assertThrows(IllegalArgumentException.class, () -> ReadOptions.all().withStreams(false, false));
    }

    @Test
    void tailCountsEntriesOfBothStreamsAcrossRotatedFiles() throws Exception {
        sevenRotatedEntries();
        assertEquals(lines("7"), read(ReadOptions.all().withTail(1)));
        assertEquals(lines("5", "6", "7"), read(ReadOptions.all().withTail(3)));
        assertEquals(lines("4", "5", "6", "7"), read(ReadOptions.all().withTail(4)));
        assertEquals(lines("3", "4", "5", "6", "7"), read(ReadOptions.all().withTail(100)));
        assertEquals(List.of(), read(ReadOptions.all().withTail(0)));
        assertEquals(lines("5", "7"), read(ReadOptions.all().withTail(3).withStreams(true, false)),
                "as in Docker, the tail is taken before the stream filter");
        assertEquals(5, ReadOptions.parseTail("5"));
        assertEquals(ReadOptions.ALL, ReadOptions.parseTail("all"));
        assertEquals(ReadOptions.ALL, ReadOptions.parseTail("-3"));
    }

    @Test
    void sinceAndUntilAreInclusive() throws Exception {
        sevenRotatedEntries();
        assertEquals(lines("5", "6", "7"), read(ReadOptions.all().withSince(t(5))));
        assertEquals(lines("6", "7"), read(ReadOptions.all().withSince(t(5).plusNanos(1))));
        assertEquals(lines("3", "4", "5"), read(ReadOptions.all().withUntil(t(5))));
        assertEquals(lines("4", "5"), read(ReadOptions.all().withSince(t(4)).withUntil(t(5).plusMillis(999))));
        assertEquals(lines("6"), read(ReadOptions.all().withTail(2).withUntil(t(6))), "tail first, then until");
        assertEquals(List.of(), read(ReadOptions.all().withSince(t(8))));
    }

    @Test
    void timestampsPrefixEachEntryWithNineFractionDigits() throws Exception {
        log = JsonFileLog.open(dir, id, LogRotation.NONE);
        write(log, StdStream.STDOUT, "a\n", T0.plusMillis(120));
        write(log, StdStream.STDOUT, "partial", T0.plusSeconds(1));
        assertEquals(List.of("stdout: 2026-11-23T10:00:00.120000000Z a\n", "stdout: 2026-11-23T10:00:01.000000000Z partial"),
                read(ReadOptions.all().withTimestamps(true)));
    }

    @Test
    void aStoppedContainersLogIsReadFromItsFilesAndFollowEndsAtTheEnd() throws Exception {
        sevenRotatedEntries();
        log.close();
        CollectingSink sink = new CollectingSink();
        LogReader.forFile(JsonFileLog.logPath(dir, id)).read(ReadOptions.all().withTail(2).withFollow(true), sink);
        assertEquals(lines("6", "7"), sink.all());
    }

    @Test
    void aMissingLogSaysSo() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> LogReader.forFile(JsonFileLog.logPath(dir, id)).read(ReadOptions.all(), new CollectingSink()));
        assertTrue(e.getMessage().startsWith(JsonFileLog.logPath(dir, id) + ": no json-file log"), e.getMessage());
    }

    @Test
    void aCorruptEntryIsReportedWithItsFileAndOffset() throws Exception {
        Path file = JsonFileLog.logPath(dir, id);
        Files.writeString(file, entry("stdout", "ok\n", T0) + "not json\n");
        IOException e = assertThrows(IOException.class, () -> LogReader.forFile(file).read(ReadOptions.all(), new CollectingSink()));
        assertTrue(e.getMessage().startsWith("corrupt log entry in " + file + " at byte " + entry("stdout", "ok\n", T0).length()),
                e.getMessage());
    }

    /** Runs a read on its own thread; the future completes with its failure, if any, when it returns. */
    private CompletableFuture<Void> startReading(ReadOptions options, LogSink sink) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        LogReader reader = log.reader();
        follower = Thread.ofPlatform().name("follow-" + id).start(() -> {
            try {
                reader.read(options, sink);
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    @Test
    void followDeliversLaterEntriesAndEndsWhenTheLogIsClosed() throws Exception {
        log = JsonFileLog.open(dir, id, LogRotation.NONE);
        write(log, StdStream.STDOUT, "before\n", t(1));
        CollectingSink sink = new CollectingSink();
        CompletableFuture<Void> done = startReading(ReadOptions.all().withFollow(true), sink);
        assertEquals("stdout: before\n", sink.next(WAIT));
        write(log, StdStream.STDERR, "after\n", t(2));
        assertEquals("stderr: after\n", sink.next(WAIT));
        write(log, StdStream.STDOUT, "last\n", t(3));
        log.close();
        done.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(List.of("stdout: before\n", "stderr: after\n", "stdout: last\n"), sink.all());
    }

    @Test
    void followWithTailZeroStartsAtTheEnd() throws Exception {
        log = JsonFileLog.open(dir, id, LogRotation.NONE);
        write(log, StdStream.STDOUT, "old\n", t(1));
        CollectingSink sink = new CollectingSink();
        CompletableFuture<Void> done = startReading(ReadOptions.all().withTail(0).withFollow(true), sink);
        waitUntilFollowing();
        write(log, StdStream.STDOUT, "new\n", t(2));
        assertEquals("stdout: new\n", sink.next(WAIT));
        log.close();
        done.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(List.of("stdout: new\n"), sink.all());
    }

    @Test
    void followContinuesAcrossRotations() throws Exception {
        int entryLength = entry("stdout", "line 10\n", T0).length();
        log = JsonFileLog.open(dir, id, new LogRotation(entryLength, 2));
        CollectingSink sink = new CollectingSink();
        CompletableFuture<Void> done = startReading(ReadOptions.all().withFollow(true), sink);
        waitUntilFollowing();
        for (int i = 10; i < 20; i++) {
            write(log, StdStream.STDOUT, "line " + i + "\n", t(i));
            assertEquals("stdout: line " + i + "\n", sink.next(WAIT));
        }
        log.close();
        done.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(10, sink.all().size());
        assertEquals(entry("stdout", "line 19\n", t(19)), Files.readString(log.path()));
    }

    @Test
    void followEndsWhenTheThreadIsInterrupted() throws Exception {
        log = JsonFileLog.open(dir, id, LogRotation.NONE);
        CompletableFuture<Void> done = startReading(ReadOptions.all().withFollow(true), new CollectingSink());
        waitUntilFollowing();
        follower.interrupt();
        ExecutionException e = assertThrows(ExecutionException.class, () -> done.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertInstanceOf(InterruptedException.class, e.getCause());
    }

    @Test
    void followEndsWhenASinkFails() throws Exception {
        log = JsonFileLog.open(dir, id, LogRotation.NONE);
        CompletableFuture<Void> done = startReading(ReadOptions.all().withFollow(true), (stream, data, off, len) -> {
            throw new IOException("client went away");
        });
        waitUntilFollowing();
        write(log, StdStream.STDOUT, "x\n", t(1));
        ExecutionException e = assertThrows(ExecutionException.class, () -> done.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals("client went away", e.getCause().getMessage());
    }

    @Test
    void followEndsAtUntilEvenWhenNothingIsWritten() throws Exception {
        log = JsonFileLog.open(dir, id, LogRotation.NONE);
        CollectingSink sink = new CollectingSink();
        Instant until = Instant.now().plusMillis(300);
        CompletableFuture<Void> done = startReading(ReadOptions.all().withUntil(until).withFollow(true), sink);
        done.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(!Instant.now().isBefore(until), "returned before until");
        assertEquals(List.of(), sink.all());
    }

    /** Waits until the follower thread is parked waiting for the writer, i.e. has read everything there is. */
    private void waitUntilFollowing() throws InterruptedException {
        AtomicReference<Thread.State> state = new AtomicReference<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            state.set(follower.getState());
            if (state.get() == Thread.State.WAITING || state.get() == Thread.State.TIMED_WAITING) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the follower never waited for new entries; it is " + state.get());
    }
}
