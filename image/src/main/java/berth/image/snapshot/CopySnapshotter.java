package berth.image.snapshot;

import berth.image.Digest;
import berth.image.ImageException;
import berth.image.layer.WhiteoutMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The fallback where overlayfs is unavailable (Docker's "vfs"): every snapshot is a full copy of its parent
 * with the layer applied on top (whiteouts become deletions), and a container root is a copy of its image.
 * Slow and large, but it needs nothing from the kernel beyond a bind mount.
 */
public final class CopySnapshotter extends DirectorySnapshotter {

    public CopySnapshotter(Path root) {
        super(root);
    }

    @Override
    public String name() {
        return "vfs";
    }

    @Override
    public boolean independentLayers() {
        return false;
    }

    @Override
    public Prepared prepare(Digest parent, Digest chainId) {
        if (parent != null && !dirs.exists(parent)) throw new ImageException.NotFound("snapshot " + parent + " not found");
        Prepared p = dirs.prepare(parent, chainId, WhiteoutMode.APPLY);
        if (parent != null) {
            try {
                Tree.copy(dirs.fs(parent), p.dir());
            } catch (RuntimeException e) {
                dirs.abort(p);
                throw e;
            }
        }
        return p;
    }

    @Override
    public List<Mount> rootfs(Digest chainId, List<Path> extraLowers, Path rwDir) throws IOException {
        if (rwDir == null) {
            if (chainId == null) throw new ImageException("a read-only view of an empty image has nothing to show");
            return List.of(Mount.bind(dirs.fs(chainId).toString(), true));
        }
        Path fs = rwDir.resolve("fs");
        if (!Files.exists(fs)) {
            Path tmp = rwDir.resolve("fs.tmp");
            Tree.delete(tmp);
            if (chainId != null) Tree.copy(dirs.fs(chainId), tmp);
            else Files.createDirectories(tmp);
            for (Path extra : extraLowers.reversed()) Tree.copy(extra, tmp);
            Files.move(tmp, fs);
        }
        return List.of(Mount.bind(fs.toString(), false));
    }

    @Override
    public Path changes(Path rwDir) {
        throw new ImageException("the vfs storage driver keeps no separate changes layer (diff and commit need overlay2)");
    }

}
