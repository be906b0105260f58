package berth.image.snapshot;

import berth.image.Digest;

import java.nio.file.Path;
import java.util.Set;

/** What both snapshotters share: committed snapshots as directories in {@link SnapshotDirs}. */
abstract sealed class DirectorySnapshotter implements Snapshotter permits OverlaySnapshotter, CopySnapshotter {
    final SnapshotDirs dirs;

    DirectorySnapshotter(Path root) {
        this.dirs = new SnapshotDirs(root);
    }

    @Override
    public boolean exists(Digest chainId) {
        return dirs.exists(chainId);
    }

    @Override
    public void commit(Prepared prepared, long size) {
        dirs.commit(prepared, size);
    }

    @Override
    public void abort(Prepared prepared) {
        dirs.abort(prepared);
    }

    @Override
    public long size(Digest chainId) {
        return dirs.size(chainId);
    }

    @Override
    public Set<Digest> list() {
        return dirs.list();
    }

    @Override
    public void remove(Digest chainId) {
        dirs.remove(chainId);
    }

    @Override
    public void cleanup() {
        dirs.cleanup();
    }
}
