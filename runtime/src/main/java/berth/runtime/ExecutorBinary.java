package berth.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where the native executor is. The launcher points the system property {@code berth.executor} at the
 * build output; without it, the copy inside the jar is written once to the temporary directory. Either
 * way the executor re-executes itself from a sealed memfd before it touches a container (see executor.c).
 */
public final class ExecutorBinary {
    public static final String RESOURCE = "/berth/executor/berth-executor";
    private String path;

    public synchronized String path() {
        if (path == null) path = locate();
        return path;
    }

    private static String locate() {
        String file = System.getProperty("berth.executor");
        if (file != null && Files.isExecutable(Path.of(file))) return file;
        try (InputStream in = ExecutorBinary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new RuntimeError("the native executor is missing from the build (" + RESOURCE + ")");
            byte[] bytes = in.readAllBytes();
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "berth-executor-" + Integer.toHexString(java.util.Arrays.hashCode(bytes)));
            Path exe = dir.resolve("berth-executor");
            if (!Files.isExecutable(exe)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                Path tmp = Files.createTempFile(dir, "executor", ".tmp");
                Files.write(tmp, bytes);
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
                Files.move(tmp, exe, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            return exe.toString();
        } catch (IOException e) {
            throw new RuntimeError("install the native executor: " + e.getMessage(), e);
        }
    }
}
