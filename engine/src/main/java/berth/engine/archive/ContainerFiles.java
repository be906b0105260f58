package berth.engine.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;

import berth.sys.SysException;
import berth.sys.Syscalls;

/**
 * One container's root filesystem as {@code docker cp} and {@code docker export} see it: the daemon makes one
 * per request with the container's ID and a root directory that shows the container's files (its merged
 * overlay, or {@code /proc/PID/root} of its running init). Paths are the container's, absolute or relative
 * to its root, resolved inside the root ({@link InRoot}).
 *
 * <p>What the Docker Engine API routes call: {@code HEAD /containers/{id}/archive} {@link #stat};
 * {@code GET} {@link #stat} for the {@code X-Docker-Container-Path-Stat} header, then {@link #writeTar};
 * {@code PUT} {@link #extractTar}; {@code GET /containers/{id}/export} {@link #exportTar}. Failures are
 * {@link ArchiveException}s: {@link ArchiveException.NotFound} for 404, {@link ArchiveException.Invalid} for
 * 400, others 500. Checking that the target is writable (a read-only rootfs or volume) is the daemon's: it
 * knows the mounts.
 */
public final class ContainerFiles {
    private final String containerId;
    private final InRoot root;
    private final Syscalls sys;

    public ContainerFiles(String containerId, Path root, Syscalls sys) {
        this.containerId = containerId;
        this.root = new InRoot(root);
        this.sys = sys;
    }

    /**
     * lstat of {@code path} in the container (a trailing {@code /} or {@code /.} follows a final link and
     * requires a directory), as Docker's {@code ContainerStatPath}.
     *
     * @throws ArchiveException.NotFound "Could not find the file PATH in container ID"
     */
    public PathStat stat(String path) {
        String abs = absolute(path);
        try {
            InRoot.Resolved r = root.resolve(abs, GoPaths.assertsDirectory(abs));
            Map<String, Object> a = Files.readAttributes(r.host(), "unix:mode,size,lastModifiedTime", root.linkOptions(r.host()));
            long mode = GoFileMode.of((Integer) a.get("mode"));
            if (GoPaths.assertsDirectory(abs) && (mode & GoFileMode.DIR) == 0) {
                throw new ArchiveException.Invalid("stat " + path + " in container " + containerId + ": not a directory");
            }
            String linkTarget = (mode & GoFileMode.SYMLINK) != 0 ? root.resolve(abs, true).path() : "";
            return new PathStat(GoPaths.base(abs), (Long) a.get("size"), mode,
                    ((FileTime) a.get("lastModifiedTime")).toInstant(), linkTarget);
        } catch (NoSuchFileException e) {
            throw notFound(path);
        } catch (IOException | InvalidPathException e) {
            throw new ArchiveException("stat " + path + " in container " + containerId + ": " + ArchiveException.describe(e), e);
        }
    }

    /**
     * Writes {@code path} as the tar {@code GET /containers/{id}/archive} answers with, entries named from the
     * path's base name: a directory with everything below it ({@code dir/}, {@code dir/a}, ...; for
     * {@code dir/.} the entries are {@code ./}, {@code ./a}, ...), anything else as one entry, a symbolic link
     * as the link itself. The stream is flushed, not closed.
     */
    public void writeTar(String path, OutputStream out) {
        PathStat st = stat(path);
        String abs = absolute(path);
        try {
            Path host = root.resolve(abs, st.isDirectory()).host();
            TreeTar tar = new TreeTar(out);
            if (st.isDirectory()) {
                String base = GoPaths.base(abs);
                String prefix = base.equals("/") ? "/" : base + "/";
                tar.addTree(host, base, prefix);
            } else {
                tar.add(host, GoPaths.base(abs));
            }
            tar.finish();
        } catch (IOException | InvalidPathException | UncheckedIOException e) {
            throw new ArchiveException("archive " + path + " in container " + containerId + ": " + ArchiveException.describe(e), e);
        }
    }

    /**
     * Extracts {@code archive} (a tar, plain or gzip, bzip2 or zstd compressed) into the directory
     * {@code dirPath}, following a link at its end, as {@code PUT /containers/{id}/archive}; see
     * {@link TarExtraction} for what each entry may do. The stream is read to the end of the tar, not closed.
     *
     * @throws ArchiveException.NotFound if {@code dirPath} does not exist
     * @throws ArchiveException.Invalid  if it is not a directory, or an entry would leave it
     */
    public void extractTar(String dirPath, InputStream archive, ExtractOptions options) {
        String abs = absolute(dirPath);
        InRoot.Resolved dir;
        try {
            dir = root.resolve(abs, true);
            BasicFileAttributes a = root.attributes(dir.host());
            if (a == null) throw notFound(dirPath);
            if (!a.isDirectory()) throw new ArchiveException.Invalid("extraction point is not a directory");
        } catch (IOException | InvalidPathException e) {
            throw new ArchiveException("extract to " + dirPath + " in container " + containerId + ": " + ArchiveException.describe(e), e);
        }
        try {
            new TarExtraction(root, sys, dir.path(), options).extract(Decompression.decompressed(archive));
        } catch (IOException | SysException e) {
            throw new ArchiveException("extract to " + dirPath + " in container " + containerId + ": " + ArchiveException.describe(e), e);
        }
    }

    /**
     * Writes the whole filesystem as {@code docker export} does: every file below the root, names relative
     * to it ({@code bin/}, {@code bin/sh}, ...), the root itself left out. Whatever is mounted below the root
     * is included, so the daemon gives a root with nothing mounted over the container's own files.
     */
    public void exportTar(OutputStream out) {
        try {
            TreeTar tar = new TreeTar(out);
            tar.addTree(root.root(), null, "");
            tar.finish();
        } catch (IOException | UncheckedIOException e) {
            throw new ArchiveException("export container " + containerId + ": " + ArchiveException.describe(e), e);
        }
    }

    private ArchiveException.NotFound notFound(String path) {
        return new ArchiveException.NotFound("Could not find the file " + path + " in container " + containerId);
    }

    /** {@code path} made absolute and clean, with the trailing {@code /} or {@code /.} it had. */
    private static String absolute(String path) {
        return GoPaths.preserveTrailingDotOrSeparator(GoPaths.clean("/" + path), path);
    }
}
