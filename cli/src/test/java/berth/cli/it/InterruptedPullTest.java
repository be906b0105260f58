package berth.cli.it;

import berth.image.it.TestRegistry;
import berth.image.it.UmociImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code berth pull} killed with SIGKILL at random moments, again and again: the daemon keeps answering,
 * and the next pull completes with the image's ID. (What a daemon killed mid-pull leaves in its store is
 * the engine's test to make.)
 */
class InterruptedPullTest {

    @Test
    void killedClientsLeaveTheDaemonServingAndTheNextPullCompletes(@TempDir Path dir) throws Exception {
        try (TestRegistry registry = TestRegistry.start(); DaemonUnderTest daemon = DaemonUnderTest.start()) {
            String ref = registry.host() + "/crash/big:1";
            Berth berth = new Berth(daemon, dir.resolve("cfg"));
            String id = berth.run("import", bigRootfs(dir).toString(), ref).ok().out().strip();
            berth.run("push", "-q", ref).ok();
            berth.run("rmi", ref).ok();

            Random random = new Random(42);
            for (int round = 0; round < 4; round++) {
                Process p = new ProcessBuilder(berth.command("pull", ref))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                Thread.sleep(300 + random.nextInt(1500));
                p.destroyForcibly();
                assertTrue(p.waitFor(10, TimeUnit.SECONDS), "a killed pull exits");
                assertEquals(0, berth.run("version").status(), "the daemon still answers after round " + round);
            }

            Berth.Result done = berth.run("pull", ref).ok();
            assertTrue(done.out().contains("Digest: sha256:") || done.out().contains("Image is up to date"), done.out());
            assertEquals(id, berth.run("image", "inspect", "-f", "{{.Id}}", ref).ok().out().strip());
            berth.run("rmi", ref).ok();
        }
    }

    /** A rootfs tar with 40 MB of incompressible data, so a pull takes long enough to be interrupted. */
    private static Path bigRootfs(Path dir) throws Exception {
        Path rootfs = Files.createDirectories(dir.resolve("big/data"));
        byte[] chunk = new byte[1 << 20];
        Random r = new Random(7);
        try (var out = Files.newOutputStream(rootfs.resolve("random.bin"))) {
            for (int i = 0; i < 40; i++) {
                r.nextBytes(chunk);
                out.write(chunk);
            }
        }
        Path tar = dir.resolve("big.tar");
        UmociImage.run(dir, "tar", "-C", dir.resolve("big").toString(), "-cf", tar.toString(), ".");
        return tar;
    }
}
