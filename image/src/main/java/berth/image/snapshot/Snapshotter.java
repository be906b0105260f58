package berth.image.snapshot;

import berth.image.Digest;
import berth.image.layer.WhiteoutMode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Unpacked layer chains, named by chain ID. A layer is unpacked into a directory the snapshotter prepares,
 * then committed in one rename: a snapshot is either absent or complete.
 */
public interface Snapshotter {

    /** What the snapshotter is called in {@code info} and {@code inspect} (Docker's storage driver names). */
    String name();

    boolean exists(Digest chainId);

    /**
     * True if a layer can be unpacked before its parent is (each layer lives in its own directory), so a pull
     * can unpack layers in parallel as they arrive.
     */
    boolean independentLayers();

    /**
     * A directory to unpack the layer {@code chainId} into, and how whiteouts are to be written there.
     * {@code parent} must exist unless {@link #independentLayers()}.
     */
    Prepared prepare(Digest parent, Digest chainId);

    /** Publishes a prepared snapshot; {@code size} is the layer's unpacked size. Idempotent. */
    void commit(Prepared prepared, long size);

    /** Drops a prepared snapshot that will not be committed. */
    void abort(Prepared prepared);

    /** The unpacked size of the layer on top of the chain (not including its parents). */
    long size(Digest chainId);

    /**
     * The mounts that make a container root: {@code chainId}'s layers (null: none), then {@code extraLowers}
     * (top first) above them, read-only, and a read-write layer in {@code rwDir} (created if absent), or a
     * read-only view when {@code rwDir} is null.
     */
    List<Mount> rootfs(Digest chainId, List<Path> extraLowers, Path rwDir) throws IOException;

    /** The directory holding a container's changes (for diff and commit), given the rwDir passed to rootfs. */
    Path changes(Path rwDir);

    Set<Digest> list();

    void remove(Digest chainId);

    /** Removes prepared snapshots that a crash left behind. */
    void cleanup();

    record Prepared(Digest parent, Digest chainId, Path dir, WhiteoutMode mode, Path workDir) {}
}
