package berth.image.snapshot;

import berth.image.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What cleanup removes after a crash, and what it leaves to a pull still running. */
class SnapshotCleanupTest {
    @TempDir
    Path dir;

    @Test
    void cleanupRemovesACrashedPullsDirectoriesAndKeepsOnesInUse() throws Exception {
        OverlaySnapshotter snapshots = new OverlaySnapshotter(dir);
        Snapshotter.Prepared running = snapshots.prepare(null, new Digest("sha256", "a".repeat(64)));
        Path crashedTmp = Files.createDirectories(dir.resolve(".tmp-crashed/fs"));
        Path crashedFresh = Files.createDirectory(dir.resolve(".new-crashed"));
        Files.setLastModifiedTime(crashedFresh, FileTime.from(Instant.now().minus(Duration.ofMinutes(5))));
        Path beingMade = Files.createDirectory(dir.resolve(".new-now"));

        snapshots.cleanup();

        assertFalse(Files.exists(crashedTmp.getParent()), "a prepared directory whose lock is free is removed");
        assertFalse(Files.exists(crashedFresh), "a fresh directory a crash kept from being locked is removed");
        assertTrue(Files.exists(beingMade), "a fresh directory just made may be locked any moment: it stays");
        assertTrue(Files.isDirectory(running.dir()), "a snapshot this process is unpacking stays");
        snapshots.abort(running);
    }
}
