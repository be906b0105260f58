package berth.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import berth.engine.it.support.TestDaemon;
import berth.image.it.TestRegistry;
import berth.image.it.UmociImage;

/**
 * The daemon killed with SIGKILL in the middle of {@code docker pull}, again and again, restarts into a
 * consistent store (every blob matches its digest, every committed snapshot is whole, every image record is
 * backed), and the next pull finishes the job, leaving no partial download or half-unpacked snapshot behind.
 * Half of the kills wait until a partial download has grown, half come after a random delay.
 */
class PullCrashTest {
    private static final int ROUNDS = 6;
    private static final int DATA_LAYERS = 3;
    private static final int LAYER_BYTES = 14 << 20;
    /** Random kills come this long after the pull starts: a freshly restarted daemon takes about 3.5 s to finish one. */
    private static final int MIN_RANDOM_DELAY_MS = 300, RANDOM_DELAY_SPAN_MS = 3200;
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);

    @RegisterExtension
    static final TestDaemon berth = new TestDaemon();

    @Test
    void killedPullsLeaveAConsistentStoreAndTheNextPullCompletes() throws Exception {
        BigImage image = BigImage.build(Files.createDirectories(berth.scratch().resolve("image")), DATA_LAYERS, LAYER_BYTES);
        StoreCheck store = new StoreCheck(berth.root(), Files.createDirectories(berth.scratch().resolve("mnt")));
        try (TestRegistry registry = TestRegistry.start()) {
            registry.pushOciLayout(image.layout(), UmociImage.TAG, "crash/big:1");
            String ref = registry.host() + "/crash/big:1";
            long seed = System.nanoTime();
            Random random = new Random(seed);
            int killedMidDownload = 0;
            for (int round = 0; round < ROUNDS; round++) {
                Path log = berth.scratch().resolve("pull-" + round + ".log");
                Process pull = startPull(ref, log);
                try {
                    boolean timed = round % 2 == 0;
                    if (timed && !awaitDownload(store, pull, 256 * 1024 + random.nextInt(4 << 20))) {
                        assertEquals(0, pull.exitValue(), "pull of round " + round + " ended before downloading: " + Files.readString(log));
                    }
                    if (!timed) Thread.sleep(MIN_RANDOM_DELAY_MS + random.nextInt(RANDOM_DELAY_SPAN_MS));
                    berth.killDaemon();
                } finally {
                    end(pull);
                }
                Map<Path, Long> partial = store.partialIngests();
                System.err.println("round " + round + " (seed " + seed + "): killed with partial downloads " + partial.values());
                if (!partial.isEmpty()) killedMidDownload++;
                store.assertConsistent(image);
                berth.startDaemon();
                if (berth.docker("image", "inspect", ref).exit() == 0) berth.ok("rmi", ref); // pulled whole: start over
            }
            assertTrue(killedMidDownload >= ROUNDS / 2, killedMidDownload + " of " + ROUNDS + " kills landed in the middle of a download");

            assertTrue(berth.ok("pull", ref).contains("Digest: sha256:"), "the last pull completes");
            assertEquals(image.id().toString(), berth.ok("image", "inspect", "--format", "{{.Id}}", ref).strip());
            assertEquals(expectedSums(image), berth.ok(sha256sum(ref).toArray(String[]::new)), "the image's files, read in a container");
            assertEquals(Map.of(), store.partialIngests(), "no partial download is left behind");
            assertEquals(List.of(), store.preparedSnapshots(), "no half-unpacked snapshot is left behind");
            berth.stopDaemon();
            store.assertConsistent(image);
            berth.startDaemon();
        }
    }

    /** {@code docker pull REF} in the background, its output to {@code log}. */
    private static Process startPull(String ref, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(TestDaemon.DOCKER.toString(), "pull", ref).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("DOCKER_"));
        pb.environment().putAll(berth.clientEnv());
        return pb.start();
    }

    /**
     * Waits until some partial download has grown by {@code bytes} (true), or the pull has ended (false).
     */
    private static boolean awaitDownload(StoreCheck store, Process pull, long bytes) throws IOException, InterruptedException {
        Map<Path, Long> before = store.partialIngests();
        while (pull.isAlive()) {
            for (Map.Entry<Path, Long> p : store.partialIngests().entrySet()) {
                if (p.getValue() - before.getOrDefault(p.getKey(), 0L) >= bytes) return true;
            }
            Thread.sleep(2);
        }
        return false;
    }

    /** Waits for the docker client, which loses its daemon, to exit. */
    private static void end(Process pull) throws InterruptedException {
        if (!pull.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            pull.destroyForcibly().waitFor();
            fail("docker pull did not exit within " + EXIT_TIMEOUT.toSeconds() + " s of its daemon's death");
        }
    }

    private static List<String> sha256sum(String ref) {
        List<String> command = new ArrayList<>(List.of("run", "--rm", "--network", "none", ref, "sha256sum"));
        for (int n = 1; n <= DATA_LAYERS; n++) command.add("/" + BigImage.dataFile(n));
        return command;
    }

    /** What {@code sha256sum} prints for the image's data files. */
    private static String expectedSums(BigImage image) {
        StringBuilder out = new StringBuilder();
        for (int n = 1; n <= DATA_LAYERS; n++) {
            out.append(image.files().get(n).get(BigImage.dataFile(n))).append("  /").append(BigImage.dataFile(n)).append('\n');
        }
        return out.toString();
    }
}
