package berth.engine;

import berth.sys.Syscalls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The unix socket on which the daemon receives a terminal's master from the executor, for the container or
 * exec whose directory is {@code dir}: {@code dir/console.sock} when that path fits a socket address (107
 * bytes), else {@code berth-console-HASH.sock} in the system temporary directory, HASH taken from
 * {@code dir}. Below a root longer than {@code /var/lib/berth}, {@code ROOT/containers/ID/console.sock} does
 * not fit and bind fails with ENAMETOOLONG.
 */
final class ConsoleSocket {
    private static final int MAX_PATH_BYTES = 107;

    private ConsoleSocket() {}

    static Path of(Path dir) {
        Path inDir = dir.resolve("console.sock");
        if (inDir.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_PATH_BYTES) return inDir;
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(dir.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8));
            String name = "berth-console-" + HexFormat.of().formatHex(h, 0, 8) + ".sock";
            return Path.of(System.getProperty("java.io.tmpdir")).resolve(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Listens on the socket for {@code dir}, replacing a stale file; returns the listening descriptor. */
    static int listen(Syscalls sys, Path dir) {
        Path p = of(dir);
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("remove the stale console socket " + p + ": " + e.getMessage(), e);
        }
        return sys.listenUnix(p.toString());
    }

    /**
     * Waits for the executor on {@code listener} (from {@link #listen}) and returns the terminal master it sends;
     * the connection and the socket's file are gone afterwards, the listener is the caller's to close.
     */
    static int receiveMaster(Syscalls sys, int listener, Path dir) {
        int conn = sys.accept(listener);
        try {
            return sys.receiveFd(conn).fd();
        } finally {
            sys.close(conn);
            remove(dir);
        }
    }

    /** Removes the socket's file once the executor has connected; the connection does not need the name. */
    static void remove(Path dir) {
        try {
            Files.deleteIfExists(of(dir));
        } catch (IOException e) {
            throw new UncheckedIOException("remove the console socket " + of(dir) + ": " + e.getMessage(), e);
        }
    }
}
