package berth.image.layer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import berth.sys.Errno;
import berth.sys.SysException;
import berth.sys.Syscalls;

/**
 * Creates one tar entry in the layer directory with its metadata: owner, the twelve mode bits, extended
 * attributes, times. Every call acts on the path itself (lchown, fchmodat2 with AT_SYMLINK_NOFOLLOW,
 * lsetxattr, utimensat with AT_SYMLINK_NOFOLLOW); regular files are created anew with an exclusive
 * create, never opened through what was there. Directories get their times last ({@link #finish}),
 * once nothing more is written into them.
 */
final class EntryWriter {
    private static final int EOPNOTSUPP = 95;
    private static final String OVERLAY_XATTRS = "trusted.overlay.";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Syscalls sys;
    private final LayerRoot root;
    private final Consumer<String> warnings;
    /** Directory name to {atime, mtime}, in the order the entries came. */
    private final Map<String, long[]> directoryTimes = new LinkedHashMap<>();
    private final byte[] buffer = new byte[1 << 17];

    EntryWriter(Syscalls sys, LayerRoot root, Consumer<String> warnings) {
        this.sys = sys;
        this.root = root;
        this.warnings = warnings;
    }

    /** Writes {@code e}; {@code content} holds a regular file's bytes. */
    void write(LayerEntry e, InputStream content) throws IOException {
        switch (e.type()) {
            case DIRECTORY -> directory(e);
            case FILE -> file(e, content);
            case SYMLINK -> symlink(e);
            case HARDLINK -> hardlink(e);
            case CHAR_DEVICE, BLOCK_DEVICE, FIFO -> node(e);
            case OTHER -> {
                warnings.accept("layer entry " + LayerException.quote(e.rawName()) + ": skipped, not a file type berth unpacks");
                return;
            }
        }
        root.markWritten(e.name());
    }

    private void directory(LayerEntry e) throws IOException {
        Path p = root.prepareDirectory(e.name(), e.rawName());
        setOwnerModeXattrs(e, p);
        directoryTimes.remove(e.name()); // a repeated directory keeps its last times, set in its last place
        directoryTimes.put(e.name(), new long[] {e.atimeNanos(), e.mtimeNanos()});
    }

    private void file(LayerEntry e, InputStream content) throws IOException {
        Path p = root.prepareReplace(e.name(), e.rawName());
        try (FileChannel ch = FileChannel.open(p, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(OWNER_ONLY))) {
            for (int n; (n = content.read(buffer)) > 0; ) {
                ByteBuffer b = ByteBuffer.wrap(buffer, 0, n);
                while (b.hasRemaining()) ch.write(b);
            }
        }
        setOwnerModeXattrs(e, p);
        setTimes(e, p);
    }

    /** A symbolic link may point anywhere: the unpacker never follows one. */
    private void symlink(LayerEntry e) throws IOException {
        if (e.linkName().isEmpty() || e.linkName().indexOf('\0') >= 0) {
            throw LayerException.entry(e.rawName(), "symbolic link target is empty or holds a NUL byte");
        }
        Path p = root.prepareReplace(e.name(), e.rawName());
        Files.createSymbolicLink(p, p.getFileSystem().getPath(e.linkName()));
        setOwnerModeXattrs(e, p);
        setTimes(e, p);
    }

    /** A hard link to a non-directory that is already in the layer directory; link(2) follows no link. */
    private void hardlink(LayerEntry e) throws IOException {
        String target = EntryName.normalise(e.linkName(), e.rawName(), "hard link target " + LayerException.quote(e.linkName()) + ": ");
        if (target.equals(e.name())) throw LayerException.entry(e.rawName(), "hard link to itself");
        if (target.isEmpty()) throw LayerException.entry(e.rawName(), "hard link target is the layer root");
        Path existing = root.hardlinkTarget(target, e.rawName());
        Path p = root.prepareReplace(e.name(), e.rawName());
        Files.createLink(p, existing);
    }

    /** Character and block devices and fifos. */
    private void node(LayerEntry e) throws IOException {
        int type = switch (e.type()) {
            case CHAR_DEVICE -> LayerEntry.S_IFCHR;
            case BLOCK_DEVICE -> LayerEntry.S_IFBLK;
            default -> LayerEntry.S_IFIFO;
        };
        Path p = root.prepareReplace(e.name(), e.rawName());
        sys.mknod(p.toString(), type | (e.mode() & 0777), e.devMajor(), e.devMinor());
        setOwnerModeXattrs(e, p);
        setTimes(e, p);
    }

    /** An overlayfs whiteout: a 0/0 character device where {@code name} was. */
    void whiteoutDevice(String name, String entry) throws IOException {
        Path p = root.prepareReplace(name, entry);
        sys.mknod(p.toString(), LayerEntry.S_IFCHR, 0, 0);
        root.markCreated(name);
    }

    /**
     * Owner first (chown clears setuid, setgid and file capabilities), then the mode, then the extended
     * attributes. A symbolic link has no mode of its own on Linux.
     */
    private void setOwnerModeXattrs(LayerEntry e, Path p) throws IOException {
        if (e.uid() > 0xffff_fffeL || e.gid() > 0xffff_fffeL || e.uid() < 0 || e.gid() < 0) {
            throw LayerException.entry(e.rawName(), "owner " + e.uid() + ":" + e.gid() + " is out of range");
        }
        Files.setAttribute(p, "unix:uid", (int) e.uid(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", (int) e.gid(), LinkOption.NOFOLLOW_LINKS);
        if (e.type() != LayerEntry.Type.SYMLINK) sys.lchmod(p.toString(), e.mode() & 07777);
        for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) setXattr(e, p, x.getKey(), x.getValue());
    }

    private void setXattr(LayerEntry e, Path p, String name, byte[] value) {
        String where = "layer entry " + LayerException.quote(e.rawName()) + ": ";
        if (name.startsWith(OVERLAY_XATTRS)) {
            // overlayfs reads these (redirects, metacopy, opaque): a layer says such things with whiteouts only
            warnings.accept(where + "xattr " + name + " not set (overlayfs's own)");
            return;
        }
        try {
            sys.lsetxattr(p.toString(), name, value);
        } catch (SysException x) {
            if (x.errno() != Errno.EPERM && x.errno() != EOPNOTSUPP && x.errno() != Errno.EACCES) throw x;
            warnings.accept(where + x.getMessage());
        }
    }

    private void setTimes(LayerEntry e, Path p) {
        sys.lutimes(p.toString(), e.atimeNanos(), e.mtimeNanos());
    }

    /**
     * Sets the directories' times, last entry first, now that everything is written into them. A directory
     * since replaced by something else (or now reached through something else) is left alone.
     */
    void finish() throws IOException {
        List<Map.Entry<String, long[]>> dirs = new ArrayList<>(directoryTimes.entrySet());
        for (Map.Entry<String, long[]> d : dirs.reversed()) {
            if (!root.isRealDirectory(d.getKey())) continue;
            sys.lutimes(root.path(d.getKey()).toString(), d.getValue()[0], d.getValue()[1]);
        }
    }
}
