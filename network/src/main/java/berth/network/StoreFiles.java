package berth.network;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * JSON records on disk for the network layer's stores: written to a temporary file in the same directory,
 * flushed, then renamed over the target, so a reader (or a crash) sees the old or the new file, never half
 * of one.
 */
public final class StoreFiles {
    static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private StoreFiles() {}

    static void write(Path target, Object value) {
        byte[] data;
        try {
            data = JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException("write " + target + ": " + e.getMessage(), e);
        }
        writeAtomically(target, data, false);
    }

    /**
     * Writes {@code data} to a temporary file beside {@code target}, fsyncs it and renames it over
     * {@code target}: readers see the old content or the new, never a part. {@code ownerOnly}: the file is
     * 0600 and a directory created for it 0700 (the CNI cache holds credentials-like config).
     */
    public static void writeAtomically(Path target, byte[] data, boolean ownerOnly) {
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            if (ownerOnly) {
                Files.createDirectories(target.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(target.getParent());
            }
            Set<StandardOpenOption> opts = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try (FileChannel ch = ownerOnly
                    ? FileChannel.open(tmp, opts, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : FileChannel.open(tmp, opts)) {
                ByteBuffer b = ByteBuffer.wrap(data);
                while (b.hasRemaining()) ch.write(b);
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
            throw new UncheckedIOException("write " + target + ": " + e.getMessage(), e);
        }
    }

    static <T> Optional<T> read(Path file, Class<T> type) {
        try {
            return Optional.of(JSON.readValue(Files.readAllBytes(file), type));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("read " + file + ": " + e.getMessage(), e);
        }
    }

    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("remove " + file + ": " + e.getMessage(), e);
        }
    }

    /** Removes a directory tree; absent is fine. */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("remove " + dir + ": " + e.getMessage(), e);
        }
    }

    static boolean isRecord(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".json") && !n.startsWith(".");
    }
}
