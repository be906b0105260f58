package berth.runtime;

import berth.sys.Syscalls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The native executor, loaded into a sealed memfd and started from there. A container process that opens
 * /proc/PID/exe of the executor finds an immutable anonymous file, not a binary on the host it could
 * overwrite (the CVE-2019-5736 class). The bytes come from the file named by the system property
 * {@code berth.executor} (the launcher points it at the build output) or from the classpath.
 */
public final class ExecutorBinary {
    public static final String RESOURCE = "/berth/executor/berth-executor";
    private final Syscalls sys;
    private int fd = -1;

    public ExecutorBinary(Syscalls sys) {
        this.sys = sys;
    }

    /** The path to hand to posix_spawn; valid in this process only. */
    public synchronized String path() {
        if (fd < 0) fd = sys.sealedMemfd("berth-executor", bytes());
        return "/proc/self/fd/" + fd;
    }

    private static byte[] bytes() {
        try {
            String file = System.getProperty("berth.executor");
            if (file != null && Files.isRegularFile(Path.of(file))) return Files.readAllBytes(Path.of(file));
            try (InputStream in = ExecutorBinary.class.getResourceAsStream(RESOURCE)) {
                if (in == null) throw new RuntimeError("the native executor is missing from the build (" + RESOURCE + ")");
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new RuntimeError("read the native executor: " + e.getMessage(), e);
        }
    }
}
