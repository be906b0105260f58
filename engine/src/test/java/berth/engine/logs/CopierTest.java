package berth.engine.logs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
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

    /** A stream that hands out its content in reads of the given sizes, as a pipe does. */
    private static InputStream inReads(String... reads) {
        List<InputStream> parts = new ArrayList<>();
        for (String r : reads) {
            parts.add(new ByteArrayInputStream(r.getBytes(StandardCharsets.ISO_8859_1)));
        }
        return new SequenceInputStream(Collections.enumeration(parts));
    }

    @Test
    void eachLineIsOneMessageWithItsNewlineWhateverTheReads() throws IOException {
        copier(recorder, nobody).copy(StdStream.STDOUT, inReads("one\ntw", "o\n\nthr", "ee\n"));
        assertEquals(List.of(
                new Message(StdStream.STDOUT, "one\n", t(0)),
                new Message(StdStream.STDOUT, "two\n", t(1)),
                new Message(StdStream.STDOUT, "\n", t(2)),
                new Message(StdStream.STDOUT, "three\n", t(3))), logged);
    }

    @Test
    void anUnterminatedLastLineIsLoggedWithoutANewlineAtTheEnd() throws IOException {
        copier(recorder, nobody).copy(StdStream.STDERR, inReads("done\nno newline"));
        assertEquals(List.of(
                new Message(StdStream.STDERR, "done\n", t(0)),
                new Message(StdStream.STDERR, "no newline", t(1))), logged);
    }

    @Test
    void ttyOutputIsCutAtNewlinesToo() throws IOException {
        copier(recorder, nobody).copy(StdStream.STDOUT, inReads("prompt$ ls\r\nbin  etc\r\n"));
        assertEquals(List.of(
                new Message(StdStream.STDOUT, "prompt$ ls\r\n", t(0)),
                new Message(StdStream.STDOUT, "bin  etc\r\n", t(1))), logged);
    }

    @Test
    void aLineLongerThan16KiBIsLoggedIn16KiBFragmentsSharingTheFirstTime() throws IOException {
        String a = "a".repeat(Copier.MAX_LINE);
        String b = "b".repeat(Copier.MAX_LINE);
        copier(recorder, nobody).copy(StdStream.STDOUT, inReads("short\n", a.substring(0, 1000), a.substring(1000) + b, "cc\nnext\n"));
        assertEquals(List.of(
                new Message(StdStream.STDOUT, "short\n", t(0)),
                new Message(StdStream.STDOUT, a, t(1)),
                new Message(StdStream.STDOUT, b, t(1)),
                new Message(StdStream.STDOUT, "cc\n", t(1)),
                new Message(StdStream.STDOUT, "next\n", t(2))), logged);
    }

    @Test
    void aLineOfExactly16KiBIsAFragmentThenAnEmptyLine() throws IOException {
        String a = "a".repeat(Copier.MAX_LINE);
        copier(recorder, nobody).copy(StdStream.STDOUT, inReads(a + "\n"));
        assertEquals(List.of(
                new Message(StdStream.STDOUT, a, t(0)),
                new Message(StdStream.STDOUT, "\n", t(0))), logged);
    }

    @Test
    void theSplitLineLandsInTheFileAsDockerWritesIt() throws IOException {
        String id = UUID.randomUUID().toString();
        String a = "x".repeat(Copier.MAX_LINE);
        try (JsonFileLog log = JsonFileLog.open(dir, id, LogRotation.NONE)) {
            copier(log, nobody).copy(StdStream.STDOUT, inReads(a + "tail\n"));
        }
        assertEquals("{\"log\":\"" + a + "\",\"stream\":\"stdout\",\"time\":\"2026-11-23T10:00:00Z\"}\n"
                        + entry("stdout", "tail\n", t(0)),
                Files.readString(JsonFileLog.logPath(dir, id)));
    }

    @Test
    void aFailingLogDoesNotStopTheCopyOrTheLiveOutput() throws IOException, InterruptedException {
        Subscribers live = new Subscribers(Set.of(StdStream.STDOUT));
        Subscription attached = live.subscribe(Set.of(StdStream.STDOUT), 1024);
        LogDestination full = (stream, data, off, len, time) -> {
            throw new IOException("No space left on device");
        };
        copier(full, live).copy(StdStream.STDOUT, inReads("one\n", "two\n"));
        assertEquals("one\n", new String(attached.next().orElseThrow().data(), StandardCharsets.UTF_8));
        assertEquals("two\n", new String(attached.next().orElseThrow().data(), StandardCharsets.UTF_8));
        assertTrue(attached.next().isEmpty(), "the stream ended");
    }

    @Test
    void attachedClientsGetTheRawReadsAsTheyComeAndTheEnd() throws IOException, InterruptedException {
        Subscribers live = new Subscribers(Set.of(StdStream.STDOUT, StdStream.STDERR));
        Subscription attached = live.subscribe(Set.of(StdStream.STDOUT, StdStream.STDERR), 1024);
        Copier copier = copier(recorder, live);
        copier.copy(StdStream.STDOUT, inReads("par", "tial line\n"));
        assertArrayEquals("par".getBytes(StandardCharsets.UTF_8), attached.next().orElseThrow().data());
        assertArrayEquals("tial line\n".getBytes(StandardCharsets.UTF_8), attached.next().orElseThrow().data());
        copier.copy(StdStream.STDERR, inReads("err"));
        OutputChunk err = attached.next().orElseThrow();
        assertEquals(StdStream.STDERR, err.stream());
        assertTrue(attached.next().isEmpty(), "both streams ended");
    }
}
