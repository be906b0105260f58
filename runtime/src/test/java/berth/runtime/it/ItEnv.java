package berth.runtime.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where the integration tests find their tools, and the preconditions they insist on (no skipping). */
final class ItEnv {
    /** The checkout: surefire runs in the module directory (runtime/), so the parent holds bin/. */
    static final Path PROJECT = locateProject();
    static final Path BERTH_BINARY = PROJECT.resolve("bin/berth-runtime");
    static final Path RUNC_BINARY = Path.of("/usr/sbin/runc");
    static final Path BUSYBOX = Path.of("/bin/busybox");
    static final Path PYTHON = Path.of("/usr/bin/python3");

    private ItEnv() {}

    private static Path locateProject() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("bin/berth-runtime")) && Files.isDirectory(p.resolve("runtime"))) return p;
        }
        return Path.of("/work/main");
    }

    /** Fails (never skips) when the tests cannot be meaningful here. */
    static void requirePreconditions() {
        String uid = effectiveUid();
        if (!"0".equals(uid)) {
            fail("berth-runtime integration tests must run as root (they create namespaces, mounts and device "
                    + "nodes); effective uid is " + uid + ". Run them as root, e.g. sudo mvn ... surefire:test");
        }
        for (Path p : List.of(BERTH_BINARY, RUNC_BINARY, BUSYBOX, PYTHON)) {
            if (!Files.isExecutable(p)) fail("integration tests need " + p + " (missing or not executable)");
        }
        Path jar = PROJECT.resolve("runtime/target/berth-runtime-0.1.0-SNAPSHOT.jar");
        if (!Files.isRegularFile(jar)) {
            fail("berth-runtime is not built (" + jar + " missing): run 'mvn -o -q -DskipTests package' in " + PROJECT);
        }
    }

    static String effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) return line.split("\\s+")[2];
            }
        } catch (IOException e) {
            fail("cannot read /proc/self/status: " + e);
        }
        return "?";
    }
}
