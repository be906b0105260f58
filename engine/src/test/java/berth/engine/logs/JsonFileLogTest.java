package berth.engine.logs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The file on disk: its name, its bytes, and Docker's rotation. */
class JsonFileLogTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    @TempDir
    Path dir;

    private final String id = UUID.randomUUID().toString().replace("-", "") + "0".repeat(32);

    static String entry(String stream, String log, Instant time) {
        return "{\"log\":\"" + log.replace("\n", "\\n") + "\",\"stream\":\"" + stream + "\",\"time\":\""
                + Rfc3339.formatNano(time) + "\"}\n";
    }

    static void write(JsonFileLog log, StdStream stream, String text, Instant time) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        log.write(stream, b, 0, b.length, time);
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    @Test
    void entriesGoToIdJsonLogInDockersFormatWithMode0640() throws IOException {
        try (JsonFileLog log = JsonFileLog.open(dir, id, LogRotation.NONE)) {
            write(log, StdStream.STDOUT, "hello\n", T0);
            write(log, StdStream.STDERR, "<err> & \"quoted\"\n", T0.plusNanos(123_450_000));
        }
        Path file = dir.resolve(id + "-json.log");
        assertEquals(file, JsonFileLog.logPath(dir, id));
        assertEquals("""
                {"log":"hello\\n","stream":"stdout","time":"2026-11-23T10:00:00Z"}
                {"log":"\\u003cerr\\u003e \\u0026 \\"quoted\\"\\n","stream":"stderr","time":"2026-11-23T10:00:00.12345Z"}
                """, read(file));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void reopeningAppendsAsWhenAContainerStartsAgain() throws IOException {
        try (JsonFileLog log = JsonFileLog.open(dir, id, LogRotation.NONE)) {
            write(log, StdStream.STDOUT, "first run\n", T0);
        }
        try (JsonFileLog log = JsonFileLog.open(dir, id, LogRotation.NONE)) {
            write(log, StdStream.STDOUT, "second run\n", T0.plusSeconds(1));
        }
        assertEquals(entry("stdout", "first run\n", T0) + entry("stdout", "second run\n", T0.plusSeconds(1)),
                read(dir.resolve(id + "-json.log")));
    }

    @Test
    void aTornLastEntryIsCutOffWhenTheLogIsReopened() throws IOException {
        Path file = dir.resolve(id + "-json.log");
        Files.writeString(file, entry("stdout", "whole\n", T0) + "{\"log\":\"torn");
        try (JsonFileLog log = JsonFileLog.open(dir, id, LogRotation.NONE)) {
            write(log, StdStream.STDOUT, "next\n", T0.plusSeconds(1));
        }
        assertEquals(entry("stdout", "whole\n", T0) + entry("stdout", "next\n", T0.plusSeconds(1)), read(file));
    }

    @Test
    void rotationKeepsMaxFilesFilesNamedDotOneDotTwo() throws IOException {
        int entryLength = entry("stdout", "line 1\n", T0).length();
        LogRotation rotation = LogRotation.fromOptions(Map.of("max-size", Integer.toString(2 * entryLength), "max-file", "3"));
        List<String> entries = new ArrayList<>();
        try (JsonFileLog log = JsonFileLog.open(dir, id, rotation)) {
            for (int i = 1; i <= 7; i++) {
                Instant t = T0.plusSeconds(i);
                write(log, StdStream.STDOUT, "line " + i + "\n", t);
                entries.add(entry("stdout", "line " + i + "\n", t));
            }
        }
        // A file rotates on the first write after it reached max-size, so each holds two entries here.
        assertEquals(entries.get(2) + entries.get(3), read(dir.resolve(id + "-json.log.2")));
        assertEquals(entries.get(4) + entries.get(5), read(dir.resolve(id + "-json.log.1")));
        assertEquals(entries.get(6), read(dir.resolve(id + "-json.log")));
        assertFalse(Files.exists(dir.resolve(id + "-json.log.3")));
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count());
        }
    }

    @Test
    void withMaxFileOneAFullFileIsReplaced() throws IOException {
        LogRotation rotation = new LogRotation(10, 1);
        try (JsonFileLog log = JsonFileLog.open(dir, id, rotation)) {
            write(log, StdStream.STDOUT, "one\n", T0);
            write(log, StdStream.STDOUT, "two\n", T0);
        }
        assertEquals(entry("stdout", "two\n", T0), read(dir.resolve(id + "-json.log")));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void logOptionsAreValidatedAsDockerDoes() {
        assertEquals(LogRotation.NONE, LogRotation.fromOptions(Map.of()));
        assertEquals(new LogRotation(10_000_000, 3), LogRotation.fromOptions(Map.of("max-size", "10m", "max-file", "3")));
        assertEquals(10_000_000, LogRotation.fromOptions(Map.of("max-size", "10MiB")).maxSize(), "go-units is decimal");
        assertEquals(1_500, LogRotation.fromOptions(Map.of("max-size", "1.5k")).maxSize());
        assertEquals(2_000, LogRotation.fromOptions(Map.of("max-size", "2 KB")).maxSize());
        assertEquals(123, LogRotation.fromOptions(Map.of("max-size", "123")).maxSize());
        assertEquals(LogRotation.NONE, LogRotation.fromOptions(Map.of("compress", "false")));
        assertEquals("max-size must be a positive number",
                assertThrows(IllegalArgumentException.class, () -> LogRotation.fromOptions(Map.of("max-size", "0"))).getMessage());
        assertEquals("invalid size: '10x'",
                assertThrows(IllegalArgumentException.class, () -> LogRotation.fromOptions(Map.of("max-size", "10x"))).getMessage());
        assertEquals("max-file cannot be less than 1",
                assertThrows(IllegalArgumentException.class, () -> LogRotation.fromOptions(Map.of("max-file", "0"))).getMessage());
        assertEquals("unknown log opt 'max-fil' for json-file log driver",
                assertThrows(IllegalArgumentException.class, () -> LogRotation.fromOptions(Map.of("max-fil", "2"))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> LogRotation.fromOptions(Map.of("compress", "true")));
    }

    @Test
    void writingToAClosedLogFails() throws IOException {
        JsonFileLog log = JsonFileLog.open(dir, id, LogRotation.NONE);
        log.close();
        log.close();
        IOException e = assertThrows(IOException.class, () -> write(log, StdStream.STDOUT, "late\n", T0));
        assertEquals("cannot write to " + log.path() + ": the log is closed", e.getMessage());
    }
}
