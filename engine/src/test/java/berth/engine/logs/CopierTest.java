package berth.engine.logs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static berth.engine.logs.JsonFileLogTest.entry;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Docker's copier: lines, 16 KiB fragments, the unterminated last line, and the live copy for attach. */
class CopierTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    @TempDir
    Path dir;

    /** What a copier logged: the message text and its time. */
    private record Message(StdStream stream, String text, Instant time) {
    }

    private final List<Message> logged = Collections.synchronizedList(new ArrayList<>());
    private final LogDestination recorder = (stream, data, off, len, time) ->
            logged.add(new Message(stream, new String(data, off, len, StandardCharsets.ISO_8859_1), time));
    private final Subscribers nobody = new Subscribers(Set.of(StdStream.STDOUT, StdStream.STDERR));

    private static Instant t(int seconds) {
        return T0.plusSeconds(seconds);
    }

    private Copier copier(LogDestination destination, Subscribers live) {
        return new Copier(destination, live, new TickingClock(T0, Duration.ofSeconds(1)));
    }

    /** Feeds the stream's content in the given reads, as the I/O loop hands over what each read(2) returned, then ends it. */
    private static void copy(Copier copier, StdStream stream, String... reads) {
        Copier.Feed feed = copier.feed(stream);
        for (String r : reads) {
            byte[] b = r.getBytes(StandardCharsets.ISO_8859_1);
            feed.write(b, 0, b.length);
        }
        feed.end();
    }

    @Test
    void eachLineIsOneMessageWithItsNewlineWhateverTheReads() {
        copy(copier(recorder, nobody), StdStream.STDOUT, "one\ntw", "o\n\nthr", "ee\n");
        assertEquals(List.of(
                new Message(StdStream.STDOUT, "one\n", t(0)),
                new Message(StdStream.STDOUT, "two\n", t(1)),
                new Message(StdStream.STDOUT, "\n", t(2)),
                new Message(StdStream.STDOUT, "three\n", t(3))), logged);
    }

    @Test
    void anUnterminatedLastLineIsLoggedWithoutANewlineAtTheEnd() {
        copy(copier(recorder, nobody), StdStream.STDERR, "done\nno newline");
        assertEquals(List.of(
                new Message(StdStream.STDERR, "done\n", t(0)),
                new Message(StdStream.STDERR, "no newline", t(1))), logged);
    }

    @Test
    void ttyOutputIsCutAtNewlinesToo() {
        copy(copier(recorder, nobody), StdStream.STDOUT, "prompt$ ls\r\nbin  etc\r\n");
        assertEquals(List.of(
                new Message(StdStream.STDOUT, "prompt$ ls\r\n", t(0)),
                new Message(StdStream.STDOUT, "bin  etc\r\n", t(1))), logged);
    }

    @Test
    void aLineLongerThan16KiBIsLoggedIn16KiBFragmentsSharingTheFirstTime() {
        String a = "a".repeat(Copier.MAX_LINE);
        String b = "b".repeat(Copier.MAX_LINE);
        copy(copier(recorder, nobody), StdStream.STDOUT, "short\n", a.substring(0, 1000), a.substring(1000) + b, "cc\nnext\n");
        assertEquals(List.of(
                new Message(StdStream.STDOUT, "short\n", t(0)),
                new Message(StdStream.STDOUT, a, t(1)),
                new Message(StdStream.STDOUT, b, t(1)),
                new Message(StdStream.STDOUT, "cc\n", t(1)),
                new Message(StdStream.STDOUT, "next\n", t(2))), logged);
    }

    @Test
    void aLineOfExactly16KiBIsAFragmentThenAnEmptyLine() {
        String a = "a".repeat(Copier.MAX_LINE);
        copy(copier(recorder, nobody), StdStream.STDOUT, a + "\n");
        assertEquals(List.of(
                new Message(StdStream.STDOUT, a, t(0)),
                new Message(StdStream.STDOUT, "\n", t(0))), logged);
    }

    @Test
    void theSplitLineLandsInTheFileAsDockerWritesIt() throws IOException {
        String id = UUID.randomUUID().toString();
        String a = "x".repeat(Copier.MAX_LINE);
        try (JsonFileLog log = JsonFileLog.open(dir, id, LogRotation.NONE)) {
            copy(copier(log, nobody), StdStream.STDOUT, a + "tail\n");
        }
        assertEquals("{\"log\":\"" + a + "\",\"stream\":\"stdout\",\"time\":\"2026-11-23T10:00:00Z\"}\n"
                        + entry("stdout", "tail\n", t(0)),
                Files.readString(JsonFileLog.logPath(dir, id)));
    }

    @Test
    void aFailingLogDoesNotStopTheCopyOrTheLiveOutput() throws InterruptedException {
        Subscribers live = new Subscribers(Set.of(StdStream.STDOUT));
        Subscription attached = live.subscribe(Set.of(StdStream.STDOUT), 1024);
        LogDestination full = (stream, data, off, len, time) -> {
            throw new IOException("No space left on device");
        };
        copy(copier(full, live), StdStream.STDOUT, "one\n", "two\n");
        assertEquals("one\n", new String(attached.next().orElseThrow().data(), StandardCharsets.UTF_8));
        assertEquals("two\n", new String(attached.next().orElseThrow().data(), StandardCharsets.UTF_8));
        assertTrue(attached.next().isEmpty(), "the stream ended");
    }

    @Test
    void attachedClientsGetTheRawReadsAsTheyComeAndTheEnd() throws InterruptedException {
        Subscribers live = new Subscribers(Set.of(StdStream.STDOUT, StdStream.STDERR));
        Subscription attached = live.subscribe(Set.of(StdStream.STDOUT, StdStream.STDERR), 1024);
        Copier copier = copier(recorder, live);
        copy(copier, StdStream.STDOUT, "par", "tial line\n");
        assertArrayEquals("par".getBytes(StandardCharsets.UTF_8), attached.next().orElseThrow().data());
        assertArrayEquals("tial line\n".getBytes(StandardCharsets.UTF_8), attached.next().orElseThrow().data());
        copy(copier, StdStream.STDERR, "err");
        OutputChunk err = attached.next().orElseThrow();
        assertEquals(StdStream.STDERR, err.stream());
        assertTrue(attached.next().isEmpty(), "both streams ended");
    }

    @Test
    void aFeedTakesTheBytesBetweenOffAndOffPlusLenOnly() throws InterruptedException {
        Subscribers live = new Subscribers(Set.of(StdStream.STDOUT));
        Subscription attached = live.subscribe(Set.of(StdStream.STDOUT), 1024);
        Copier.Feed feed = copier(recorder, live).feed(StdStream.STDOUT);
        byte[] read = "xxone\ntwoyy".getBytes(StandardCharsets.ISO_8859_1);
        feed.write(read, 2, 7);
        feed.end();
        assertEquals(List.of(
                new Message(StdStream.STDOUT, "one\n", t(0)),
                new Message(StdStream.STDOUT, "two", t(1))), logged);
        assertEquals("one\ntwo", new String(attached.next().orElseThrow().data(), StandardCharsets.ISO_8859_1));
        assertTrue(attached.next().isEmpty(), "the stream ended");
    }
}
