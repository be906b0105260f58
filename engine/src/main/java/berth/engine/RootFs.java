package berth.engine;

import berth.sys.MountInfo;
import berth.image.Digest;
import berth.image.ImageService;
import berth.image.snapshot.Mount;
import berth.image.snapshot.Mounter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A container's root file system: the image's layers (read-only), the init layer ({@code init/}: empty
 * {@code /etc/hosts}, {@code /etc/hostname}, {@code /etc/resolv.conf} and {@code /dev/console} to bind the
 * container's own files onto, and the mount points {@code /proc}, {@code /sys}, {@code /dev/pts},
 * {@code /dev/shm}, as Docker's init layer has them; never committed nor listed by diff) and the read-write layer ({@code rw/}), mounted as one
 * overlay at {@code rootfs/} while the container runs or while the engine works in it.
 */
public final class RootFs {
    private final ImageService images;
    private final Mounter mounter;

    public RootFs(ImageService images, Mounter mounter) {
        this.images = images;
        this.mounter = mounter;
    }

    /** Makes the init layer. */
    public void create(Path dir) {
        Path init = dir.resolve("init");
        try {
            Files.createDirectories(init.resolve("etc"));
            for (String d : List.of("dev/pts", "dev/shm", "proc", "sys")) Files.createDirectories(init.resolve(d));
            for (String f : List.of("etc/hosts", "etc/hostname", "etc/resolv.conf", "dev/console")) {
                Path p = init.resolve(f);
                if (!Files.exists(p)) Files.createFile(p);
            }
            Files.createDirectories(dir.resolve("rootfs"));
        } catch (IOException e) {
            throw new UncheckedIOException("create the init layer in " + dir + ": " + e.getMessage(), e);
        }
    }

    public static Path target(Path dir) {
        return dir.resolve("rootfs");
    }

    /** Mounts the root at {@code rootfs/} unless it is mounted already; returns that path. */
    public Path mount(Container c, Path dir) {
        Path target = target(dir);
        if (MountInfo.isMountPoint(target)) return target;
        try {
            Files.createDirectories(target);
            Digest chain = c.image == null ? null : images.topChain(images.get(c.image));
            List<Mount> mounts = images.snapshots().rootfs(chain, List.of(dir.resolve("init")), dir.resolve("rw"));
            mounter.mount(mounts, target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("mount the root of " + c.name + ": " + e.getMessage(), e);
        }
    }

    public void unmount(Path dir) {
        Path target = target(dir);
        if (MountInfo.isMountPoint(target)) mounter.unmount(target);
    }

    /** The directory with the container's own changes (the overlay's upper directory). */
    public Path changes(Path dir) {
        return images.snapshots().changes(dir.resolve("rw"));
    }

    /** The image's layer directories (top first), for telling added files from modified ones. */
    public List<Path> lowerDirs(Container c, Path dir) {
        try {
            Digest chain = c.image == null ? null : images.topChain(images.get(c.image));
            List<Path> out = new java.util.ArrayList<>();
            for (Mount m : images.snapshots().rootfs(chain, List.of(), null)) {
                if (m.type().equals("overlay")) m.lowerDirs().forEach(l -> out.add(Path.of(l)));
                else out.add(Path.of(m.source()));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("read the layers of " + c.name + ": " + e.getMessage(), e);
        }
    }
}
