package berth.image.snapshot;

import berth.sys.SysException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * Picks the snapshotter for a store: the one it was created with (recorded in {@code <root>/driver}, since
 * layers of one cannot be used by the other), else the one asked for, else overlay2 if a trial overlay mount
 * works on this file system, else vfs.
 */
public final class Snapshotters {
    private Snapshotters() {}

    public static Snapshotter open(Path root, String requested, Mounter mounter) {
        try {
            Files.createDirectories(root);
            Path record = root.resolve("driver");
            String driver = Files.exists(record) ? Files.readString(record).trim() : null;
            if (driver != null && requested != null && !driver.equals(requested)) {
                throw new IllegalArgumentException("storage driver " + requested + " requested, but " + root
                        + " holds " + driver + " layers (use another --root)");
            }
            if (driver == null) {
                driver = requested != null ? requested : (overlayWorks(root, mounter) ? "overlay2" : "vfs");
                Files.writeString(record, driver + "\n");
            }
            return switch (driver) {
                case "overlay2", "overlay" -> new OverlaySnapshotter(root);
                case "vfs" -> new CopySnapshotter(root);
                default -> throw new IllegalArgumentException("unknown storage driver \"" + driver + "\" (overlay2 or vfs)");
            };
        } catch (IOException e) {
            throw new UncheckedIOException("open snapshots at " + root, e);
        }
    }

    /** Mounts a two-layer overlay with an upper dir under {@code root} and unmounts it again. */
    static boolean overlayWorks(Path root, Mounter mounter) throws IOException {
        Path probe = root.resolve(".probe-" + UUID.randomUUID());
        try {
            for (String d : List.of("l1", "l2", "upper", "work", "merged")) Files.createDirectories(probe.resolve(d));
            Path merged = probe.resolve("merged");
            mounter.mount(Mount.overlay(List.of(probe.resolve("l1").toString(), probe.resolve("l2").toString()),
                    probe.resolve("upper").toString(), probe.resolve("work").toString()), merged);
            mounter.unmount(merged);
            return true;
        } catch (SysException e) {
            return false;
        } finally {
            Tree.delete(probe);
        }
    }
}
