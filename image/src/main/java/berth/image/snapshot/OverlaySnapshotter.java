package berth.image.snapshot;

import berth.image.Digest;
import berth.image.ImageException;
import berth.image.layer.WhiteoutMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Each layer unpacked once into its own directory ({@code <root>/<chain>/fs}, whiteouts in overlayfs'
 * form) and shared by every image and container that uses it; a root filesystem is one overlay mount of
 * those directories under a container's read-write layer.
 */
public final class OverlaySnapshotter extends DirectorySnapshotter {

    public OverlaySnapshotter(Path root) {
        super(root);
    }

    @Override
    public String name() {
        return "overlay2";
    }

    @Override
    public boolean independentLayers() {
        return true;
    }

    @Override
    public Prepared prepare(Digest parent, Digest chainId) {
        return dirs.prepare(parent, chainId, WhiteoutMode.OVERLAY);
    }

    /** The layer directories of {@code chainId}, top first. */
    public List<Path> layers(Digest chainId) {
        List<Path> out = new ArrayList<>();
        for (Digest c = chainId; c != null; c = dirs.parent(c)) {
            if (!dirs.exists(c)) throw new ImageException.NotFound("snapshot " + c + " not found (layer missing; pull the image again)");
            out.add(dirs.fs(c));
        }
        return out;
    }

    @Override
    public List<Mount> rootfs(Digest chainId, List<Path> extraLowers, Path rwDir) throws IOException {
        List<String> lowers = new ArrayList<>();
        for (Path p : extraLowers) lowers.add(p.toString());
        if (chainId != null) for (Path p : layers(chainId)) lowers.add(p.toString());
        if (lowers.isEmpty()) {
            Path empty = dirs.root.resolve("empty");
            Files.createDirectories(empty);
            lowers.add(empty.toString());
        }
        if (rwDir == null) {
            if (lowers.size() == 1) return List.of(Mount.bind(lowers.getFirst(), true));
            return List.of(Mount.overlay(lowers, null, null));
        }
        Path upper = rwDir.resolve("fs");
        Path work = rwDir.resolve("work");
        Files.createDirectories(upper);
        Files.createDirectories(work);
        return List.of(Mount.overlay(lowers, upper.toString(), work.toString()));
    }

    @Override
    public Path changes(Path rwDir) {
        return rwDir.resolve("fs");
    }

}
