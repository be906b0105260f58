package berth.image.layer;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import berth.sys.Syscalls;

/**
 * The directory a layer is unpacked into, and the only way the unpacker reaches paths in it. Every name is
 * normalised ({@link EntryName}) and every path is reached through parent directories that were checked, one
 * component at a time without following links, to be real directories: a symbolic link the layer itself
 * wrote is never walked through, so no entry lands outside, however its links point.
 *
 * <p>It also remembers which paths this layer wrote (its entries and the directories above them), because
 * whiteouts and opaque directories only hide what came from the layers below.
 */
final class LayerRoot {
    private static final int IMPLICIT_DIR_MODE = 0755;

    private final Path root;
    private final Syscalls sys;
    /** Paths this layer wrote: entries and their parent directories. */
    private final Set<String> written = new HashSet<>();
    /** Paths checked to be real directories; forgotten whenever a directory is removed. */
    private final Set<String> knownDirectories = new HashSet<>();
    /**
     * True if the directory was empty when unpacking began (a fresh overlay snapshot): then nothing can be at
     * a path this unpack did not create, and {@link #lstat} need not ask the kernel (a miss costs a failed
     * statx and a NoSuchFileException per entry, which is most of the unpacker's CPU on small files).
     */
    private final boolean startedEmpty;
    /** Paths this unpack created that are not entries of the layer (whiteout devices). */
    private final Set<String> created = new HashSet<>();

    private LayerRoot(Path root, Syscalls sys, boolean startedEmpty) {
        this.root = root;
        this.sys = sys;
        this.startedEmpty = startedEmpty;
    }

    static LayerRoot open(Path dir, Syscalls sys) throws IOException {
        Path real;
        try {
            real = dir.toRealPath();
        } catch (IOException e) {
            throw new LayerException("layer target directory " + LayerException.describe(e), e);
        }
        if (!Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) throw new LayerException("layer target " + dir + " is not a directory");
        boolean empty;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(real)) {
            empty = !ds.iterator().hasNext();
        }
        return new LayerRoot(real, sys, empty);
    }

    Path path(String name) {
        return name.isEmpty() ? root : root.resolve(name);
    }

    /** The file's own attributes (a link is not followed), or null if nothing is there. */
    BasicFileAttributes lstat(String name) throws IOException {
        if (startedEmpty && !name.isEmpty() && !written.contains(name) && !created.contains(name)) return null;
        try {
            return Files.readAttributes(path(name), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    void markWritten(String name) {
        written.add(name);
    }

    /** Records a path this unpack created that is not one of the layer's entries (a whiteout device). */
    void markCreated(String name) {
        created.add(name);
    }

    boolean wasWritten(String name) {
        return written.contains(name);
    }

    /**
     * Makes sure every directory above {@code name} is a real directory, creating missing ones (0755). A
     * non-directory in the way that this layer wrote (a symbolic link, typically) refuses the entry; one that
     * came from below is replaced by a directory, as overlayfs would show this layer's directory over it.
     */
    void makeParents(String name, String entry) throws IOException {
        String parent = EntryName.parent(name);
        if (!parent.isEmpty()) makeDirectories(parent, entry);
    }

    /** {@link #makeParents} for {@code dir} and {@code dir} itself. */
    void makeDirectories(String dir, String entry) throws IOException {
        if (dir.isEmpty()) return;
        int from = 0;
        while (from <= dir.length()) {
            int slash = dir.indexOf('/', from);
            int end = slash < 0 ? dir.length() : slash;
            makeDirectory(dir.substring(0, end), entry);
            from = end + 1;
        }
    }

    private void makeDirectory(String dir, String entry) throws IOException {
        if (!knownDirectories.contains(dir)) {
            BasicFileAttributes a = lstat(dir);
            if (a != null && !a.isDirectory()) {
                if (written.contains(dir)) {
                    String what = a.isSymbolicLink() ? "a symbolic link" : "not a directory";
                    throw LayerException.entry(entry, "parent " + LayerException.quote(dir) + " is " + what);
                }
                Files.delete(path(dir)); // from a layer below: this layer's directory hides it
                a = null;
            }
            if (a == null) {
                Path p = path(dir);
                Files.createDirectory(p);
                sys.lchmod(p.toString(), IMPLICIT_DIR_MODE);
            }
            knownDirectories.add(dir);
        }
        written.add(dir);
    }

    /**
     * Readies {@code name} for a new non-directory: parents made, whatever is there removed (a directory with
     * everything in it). The caller then creates the file with an exclusive create, which follows no link.
     */
    Path prepareReplace(String name, String entry) throws IOException {
        makeParents(name, entry);
        remove(name);
        return path(name);
    }

    /** Readies {@code name} for a directory: an existing real directory is kept, anything else replaced. */
    Path prepareDirectory(String name, String entry) throws IOException {
        makeParents(name, entry);
        BasicFileAttributes a = lstat(name);
        if (a == null || !a.isDirectory()) {
            if (a != null) remove(name);
            Files.createDirectory(path(name));
        }
        knownDirectories.add(name);
        return path(name);
    }

    /**
     * The existing non-directory a hard link entry names as its target: reached only through real
     * directories, without creating any.
     */
    Path hardlinkTarget(String target, String entry) throws IOException {
        String dir = EntryName.parent(target);
        for (int end = dir.indexOf('/'); ; end = dir.indexOf('/', end + 1)) {
            String prefix = end < 0 ? dir : dir.substring(0, end);
            if (!prefix.isEmpty()) {
                BasicFileAttributes a = lstat(prefix);
                if (a == null) throw LayerException.entry(entry, "hard link target " + LayerException.quote(target) + " does not exist");
                if (!a.isDirectory()) {
                    String what = a.isSymbolicLink() ? "a symbolic link" : "not a directory";
                    throw LayerException.entry(entry, "hard link target's parent " + LayerException.quote(prefix) + " is " + what);
                }
            }
            if (end < 0) break;
        }
        BasicFileAttributes a = lstat(target);
        if (a == null) throw LayerException.entry(entry, "hard link target " + LayerException.quote(target) + " does not exist");
        if (a.isDirectory()) throw LayerException.entry(entry, "hard link target " + LayerException.quote(target) + " is a directory");
        return path(target);
    }

    /** Removes whatever is at {@code name}: a file or link itself, a directory with everything in it. */
    void remove(String name) throws IOException {
        BasicFileAttributes a = lstat(name);
        if (a == null) return;
        if (!a.isDirectory()) {
            Files.delete(path(name));
            return;
        }
        knownDirectories.clear();
        Files.walkFileTree(path(name), new SimpleFileVisitor<>() { // links are not followed
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) throw e;
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Removes what the layers below put at {@code name} and keeps what this layer wrote: a path this layer
     * did not write goes entirely; in a directory it wrote, the same is done to each child.
     */
    void removeLowerContent(String name) throws IOException {
        BasicFileAttributes a = lstat(name);
        if (a == null) return;
        if (!written.contains(name)) {
            remove(name);
        } else if (a.isDirectory()) {
            for (String child : children(name)) removeLowerContent(child);
        }
    }

    /** The names of the entries of directory {@code dir} (which must have been checked to be one). */
    List<String> children(String dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(path(dir))) {
            for (Path p : ds) names.add(EntryName.join(dir, p.getFileName().toString()));
        }
        return names;
    }

    /** Whether {@code name} and every directory above it are real directories, checked afresh. */
    boolean isRealDirectory(String name) throws IOException {
        for (int end = name.indexOf('/'); ; end = name.indexOf('/', end + 1)) {
            BasicFileAttributes a = lstat(end < 0 ? name : name.substring(0, end));
            if (a == null || !a.isDirectory()) return false;
            if (end < 0) return true;
        }
    }
}
