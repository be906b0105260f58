package berth.image.snapshot;

import berth.image.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Overlay planning as data: no mounts, no root needed. */
class SnapshotPlanTest {
    @TempDir
    Path dir;

    private static Digest d(char c) {
        return new Digest("sha256", String.valueOf(c).repeat(64));
    }

    @Test
    void chainIdsFollowTheOciFormula() {
        List<Digest> chain = ChainIds.of(List.of(d('a'), d('b')));
        assertEquals(d('a'), chain.get(0));
        assertEquals(Digest.of(("sha256:" + "a".repeat(64) + " sha256:" + "b".repeat(64)).getBytes(StandardCharsets.US_ASCII)), chain.get(1));
    }

    @Test
    void aRootIsTheLayersTopFirstUnderExtrasAndAnUpper() throws Exception {
        OverlaySnapshotter s = new OverlaySnapshotter(dir);
        List<Digest> chain = ChainIds.of(List.of(d('a'), d('b')));
        for (int i = 0; i < 2; i++) {
            Snapshotter.Prepared p = s.prepare(i == 0 ? null : chain.get(0), chain.get(i));
            Files.writeString(p.dir().resolve("f" + i), "x");
            s.commit(p, 10 + i);
        }
        Path init = Files.createDirectories(dir.resolve("init"));
        Path rw = dir.resolve("rw");
        Mount m = s.rootfs(chain.get(1), List.of(init), rw).getFirst();
        assertEquals("overlay", m.type());
        assertEquals(List.of(init.toString(), dir.resolve(chain.get(1).hex() + "/fs").toString(),
                dir.resolve(chain.get(0).hex() + "/fs").toString()), m.lowerDirs());
        assertEquals(rw.resolve("fs").toString(), m.option("upperdir"));
        assertEquals(rw.resolve("work").toString(), m.option("workdir"));
        assertEquals(11, s.size(chain.get(1)));
        assertEquals(2, s.list().size());
    }

    @Test
    void aPreparedSnapshotIsInvisibleUntilCommittedAndGoneWhenAborted() {
        OverlaySnapshotter s = new OverlaySnapshotter(dir);
        Snapshotter.Prepared p = s.prepare(null, d('c'));
        assertFalse(s.exists(d('c')));
        s.abort(p);
        assertFalse(Files.exists(p.workDir()));
        Snapshotter.Prepared q = s.prepare(null, d('c'));
        s.commit(q, 1);
        assertTrue(s.exists(d('c')));
        s.remove(d('c'));
        assertFalse(s.exists(d('c')));
    }

    @Test
    void aReadOnlyViewOfOneLayerIsABindMount() throws Exception {
        OverlaySnapshotter s = new OverlaySnapshotter(dir);
        Snapshotter.Prepared p = s.prepare(null, d('e'));
        s.commit(p, 1);
        Mount m = s.rootfs(d('e'), List.of(), null).getFirst();
        assertEquals("bind", m.type());
        assertTrue(m.readOnly());
    }
}
