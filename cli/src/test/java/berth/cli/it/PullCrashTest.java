package berth.cli.it;

import berth.image.Digest;
import berth.image.it.TestRegistry;
import berth.image.it.UmociImage;
import berth.image.snapshot.Tree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pull killed with SIGKILL at random moments, again and again, leaves a consistent store (every visible
 * blob matches its digest, every visible snapshot is complete) and the next pull finishes the job.
 */
class PullCrashTest {

    @Test
    void killedPullsLeaveAConsistentStoreAndTheNextPullCompletes(@TempDir Path dir) throws Exception {
        try (TestRegistry registry = TestRegistry.start()) {
            String ref = registry.host() + "/crash/big:1";
            Berth builder = new Berth(dir.resolve("builder"), dir.resolve("cfg"));
            builder.run("import", bigRootfs(dir).toString(), ref).ok();
            builder.run("push", "-q", ref).ok();
            String id = builder.run("images", "-q", "--no-trunc").ok().out().strip();
            Tree.delete(dir.resolve("builder"));

            Path root = dir.resolve("victim");
            Berth berth = new Berth(root, dir.resolve("cfg"));
            Random random = new Random(42);
            boolean sawPartial = false;
            for (int round = 0; round < 6; round++) {
                Process p = new ProcessBuilder(berth.command("pull", ref))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                if (round % 2 == 0) {
                    // kill as soon as a download is under way (a fresh one, or the resumption of an earlier one)
                    long before = ingestBytes(root);
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (ingestBytes(root) <= before && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(2);
                } else {
                    Thread.sleep(300 + random.nextInt(1500)); // anywhere: resolving, downloading, unpacking, committing
                }
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                sawPartial |= partialIngests(root) > 0;
                assertConsistent(root);
            }
            assertTrue(sawPartial, "at least one kill landed in the middle of a download");

            Berth.Result done = berth.run("pull", ref).ok();
            assertTrue(done.out().contains("Digest: sha256:"), done.out());
            assertEquals(id, berth.run("images", "-q", "--no-trunc").ok().out().strip());
            assertConsistent(root);
            assertEquals(0, partialIngests(root), "the finished pull leaves no partial download behind");
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

    /** Bytes in partial downloads. */
    private static long ingestBytes(Path root) throws Exception {
        Path ingest = root.resolve("content/ingest");
        if (!Files.exists(ingest)) return 0;
        long total = 0;
        try (Stream<Path> s = Files.list(ingest)) {
            for (Path d : s.toList()) {
                try {
                    total += Files.size(d.resolve("data"));
                } catch (java.nio.file.NoSuchFileException gone) {
                    // finished or not started
                }
            }
        }
        return total;
    }

    private static long partialIngests(Path root) throws Exception {
        Path ingest = root.resolve("content/ingest");
        if (!Files.exists(ingest)) return 0;
        try (Stream<Path> s = Files.list(ingest)) {
            return s.filter(d -> Files.exists(d.resolve("data"))).count();
        }
    }

    /** Every visible blob hashes to its name; every visible snapshot was committed whole. */
    private static void assertConsistent(Path root) throws Exception {
        Path blobs = root.resolve("content/blobs/sha256");
        if (Files.exists(blobs)) {
            try (Stream<Path> s = Files.list(blobs)) {
                for (Path b : s.toList()) {
                    var md = Digest.sha256();
                    try (InputStream in = new DigestInputStream(Files.newInputStream(b), md)) {
                        in.transferTo(java.io.OutputStream.nullOutputStream());
                    }
                    assertEquals(b.getFileName().toString(), Digest.of(md).hex(), "blob " + b + " matches its digest");
                }
            }
        }
        Path snaps = root.resolve("snapshots");
        if (Files.exists(snaps)) {
            try (Stream<Path> s = Files.list(snaps)) {
                for (Path d : s.toList()) {
                    String n = d.getFileName().toString();
                    if (n.length() != 64) continue;
                    assertTrue(Files.exists(d.resolve("size")), "snapshot " + n + " is complete");
                    assertFalse(Files.exists(d.resolve(".lock")), "snapshot " + n + " is not a prepared directory");
                }
            }
        }
    }
}
