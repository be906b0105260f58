package berth.runtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

/**
 * Per-test scaffolding: a temp directory under /tmp, one state root per runtime, unique container ids, and a
 * cleanup that always runs: {@code delete --force} of every id with every runtime the test used, then it
 * kills helper processes, unmounts anything left under the temp directory and removes it. Leftover state or
 * mounts fail the test. Subclasses write {@code @ParameterizedTest @MethodSource("runtimes")} tests.
 */
@Timeout(60)
abstract class ContainerTestBase {
    /** Both runtimes: berth-runtime and runc (runc proves the expectation itself is right). */
    static Stream<RuntimeKind> runtimes() {
        return Stream.of(RuntimeKind.BERTH, RuntimeKind.RUNC);
    }

    /** The per-test working directory (under /tmp). */
    protected Path work;
    private final List<OciRuntime> usedRuntimes = new ArrayList<>();
    private final List<String> ids = new ArrayList<>();
    private final List<Process> helpers = new ArrayList<>();
    private int bundles;

    @BeforeAll
    static void preconditions() {
        ItEnv.requirePreconditions();
    }

    @BeforeEach
    void createWorkDir() throws IOException {
        work = Files.createTempDirectory(Path.of("/tmp"), "berth-it-");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(work.resolve("log"));
    }

    /** A runtime with a fresh state root in this test's directory. */
    protected OciRuntime runtime(RuntimeKind kind) {
        OciRuntime rt = new OciRuntime(kind, work.resolve("state-" + kind.name().toLowerCase() + "-" + usedRuntimes.size()),
                work.resolve("log"));
        usedRuntimes.add(rt);
        return rt;
    }

    /** A new busybox bundle whose config.json comes from {@code rt spec}. */
    protected Bundle bundle(OciRuntime rt) throws IOException {
        return Bundle.create(rt, work.resolve("bundle-" + (++bundles)));
    }

    /** A unique container id, deleted (forcibly) after the test. */
    protected String newId() {
        byte[] b = new byte[5];
        ThreadLocalRandom.current().nextBytes(b);
        String id = "it-" + HexFormat.of().formatHex(b);
        ids.add(id);
        return id;
    }

    /** A host directory inside the test's directory. */
    protected Path hostDir(String name) throws IOException {
        Path d = work.resolve(name);
        Files.createDirectories(d);
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxrwxrwx"));
        return d;
    }

    /** Registers a helper process to be killed during cleanup. */
    protected Process helper(Process p) {
        helpers.add(p);
        return p;
    }

    /** {@code run --bundle B ID} in the foreground (config saved first). */
    protected Result run(OciRuntime rt, Bundle b, String id, String... extraFlags) {
        b.save();
        List<String> args = new ArrayList<>(List.of("run", "--bundle", b.dir().toString()));
        args.addAll(List.of(extraFlags));
        args.add(id);
        return rt.exec(args.toArray(String[]::new));
    }

    /** Runs the bundle's process in a new container, asserts exit 0 and returns its stdout. */
    protected String output(OciRuntime rt, Bundle b) {
        Result r = run(rt, b, newId());
        assertEquals(0, r.exitCode(), () -> rt + " run failed:\n" + r);
        return r.stdout();
    }

    /** {@code create --bundle B ID}, asserting success. */
    protected Result create(OciRuntime rt, Bundle b, String id, String... extraFlags) {
        b.save();
        List<String> args = new ArrayList<>(List.of("create", "--bundle", b.dir().toString()));
        args.addAll(List.of(extraFlags));
        args.add(id);
        Result r = rt.exec(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), () -> rt + " create failed:\n" + r);
        return r;
    }

    /** Polls until {@code f} exists (at most {@code timeout}). */
    protected static boolean awaitFile(Path f, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(f)) return true;
            OciRuntime.sleep(20);
        }
        return Files.exists(f);
    }

    @AfterEach
    void cleanUp() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Process p : helpers) OciRuntime.Processes.killTree(p.toHandle());
        for (OciRuntime rt : usedRuntimes) {
            for (String id : ids) {
                try {
                    rt.exec(Duration.ofSeconds(20), "delete", "--force", id);
                } catch (AssertionError e) {
                    problems.add(rt + " delete --force " + id + ": " + e.getMessage());
                }
            }
        }
        for (OciRuntime rt : usedRuntimes) {
            List<String> left = rt.stateEntries().stream().filter(ids::contains).toList();
            if (!left.isEmpty()) problems.add(rt + " left container state behind in " + rt.stateRoot() + ": " + left);
        }
        for (String mountPoint : mountsUnder(work)) {
            problems.add("mount left behind on the host: " + mountPoint);
            new ProcessBuilder("umount", "-l", mountPoint).inheritIO().start();
        }
        if (problems.isEmpty() || mountsUnder(work).isEmpty()) deleteTree(work);
        if (!problems.isEmpty()) fail("cleanup found leftovers:\n  " + String.join("\n  ", problems));
    }

    /** Mount points (host mount namespace) at or below {@code dir}, deepest first. */
    protected static List<String> mountsUnder(Path dir) throws IOException {
        String prefix = dir.toString();
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String mp = unescape(line.split(" ")[4]);
            if (mp.equals(prefix) || mp.startsWith(prefix + "/")) out.add(mp);
        }
        out.sort(Comparator.comparingInt(String::length).reversed());
        return out;
    }

    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
