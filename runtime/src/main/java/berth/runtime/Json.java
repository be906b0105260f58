package berth.runtime;

import com.fasterxml.jackson.jr.ob.JSON;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/** JSON reading and writing (jackson-jr) and crash-safe file replacement. */
public final class Json {
    private static final JSON READER = JSON.std.with(JSON.Feature.USE_BIG_DECIMAL_FOR_FLOATS)
            .without(JSON.Feature.READ_ONLY);
    private static final JSON PRETTY = JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT);

    private Json() {}

    public static Map<String, Object> parse(byte[] json, String what) {
        try {
            Map<String, Object> m = READER.mapFrom(json);
            if (m == null) throw new RuntimeError(what + ": expected a JSON object");
            return m;
        } catch (IOException e) {
            throw new RuntimeError(what + ": invalid JSON: " + firstLine(e.getMessage()));
        }
    }

    public static Map<String, Object> read(Path file) {
        try {
            return parse(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new RuntimeError("read " + file + ": " + e.getMessage(), e);
        }
    }

    public static String write(Object value, boolean pretty) {
        try {
            return (pretty ? PRETTY : JSON.std).asString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Replaces {@code file} with {@code content} atomically: write a temporary file, fsync, rename. */
    public static void writeAtomically(Path file, String content) {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(content.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            ch.force(true);
        } catch (IOException e) {
            throw new RuntimeError("write " + tmp + ": " + e.getMessage(), e);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new RuntimeError("rename " + tmp + ": " + e.getMessage(), e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
