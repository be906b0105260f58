package berth.engine.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A container's root directory on the host, and the resolution of paths inside it as the kernel would resolve
 * them if that directory were {@code /}: {@code ..} stops at the root, a symbolic link is read and followed,
 * an absolute link target starting again from the root. Every result is a host path lexically below the
 * root, whatever links the container planted ({@code /etc -> /../../../host} resolves to the root's own
 * {@code host}); this is what moby's {@code FollowSymlinkInScope} and Go's securejoin do.
 *
 * <p>A component that does not exist ends the resolution: the rest of the path is joined to it as written,
 * so that callers can create what is missing. Resolving and then using a path is not one atomic step: a
 * process inside a running container that swaps a directory for a symbolic link in between can redirect the
 * use, within the limits of what the kernel then resolves on the host. Closing that window needs
 * {@code openat2(RESOLVE_IN_ROOT)} and descriptor-relative operations.
 */
public final class InRoot {
    /** The most symbolic links one resolution follows, as in Go's {@code filepath.EvalSymlinks}. */
    static final int MAX_LINKS = 255;

    private final Path root;

    /**
     * @param root the container's root directory on the host, e.g. {@code /proc/PID/root} or a mounted
     *             overlay; it is used as given, never canonicalised
     */
    public InRoot(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /**
     * A path resolved inside the root.
     *
     * @param path the path as the container sees it: absolute and clean, {@code /} for the root
     * @param host the same file on the host
     */
    public record Resolved(String path, Path host) {}

    /**
     * Resolves {@code path} (absolute or relative to the root) inside the root, following every symbolic
     * link on the way; the last component is followed only if {@code followLast}.
     *
     * @throws ArchiveException.Invalid when more than {@value #MAX_LINKS} links are followed
     */
    public Resolved resolve(String path, boolean followLast) throws IOException {
        Deque<String> todo = new ArrayDeque<>(components(path));
        List<String> done = new ArrayList<>();
        int links = 0;
        boolean missing = false;
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            if (c.equals(".")) continue;
            if (c.equals("..")) {
                if (!done.isEmpty()) done.removeLast();
                continue;
            }
            done.add(c);
            if (missing || (todo.isEmpty() && !followLast)) continue;
            Path host = host(done);
            BasicFileAttributes a = lstat(host);
            if (a == null) {
                missing = true;
            } else if (a.isSymbolicLink()) {
                if (++links > MAX_LINKS) throw new ArchiveException.Invalid("resolve " + path + ": too many levels of symbolic links");
                String target = Files.readSymbolicLink(host).toString();
                done.removeLast();
                if (target.startsWith("/")) done.clear();
                List<String> parts = components(target);
                for (int i = parts.size() - 1; i >= 0; i--) todo.addFirst(parts.get(i));
            } else if (!a.isDirectory() && !todo.isEmpty()) {
                missing = true; // nothing can be below a file; the caller's own lookup reports ENOTDIR
            }
        }
        return new Resolved("/" + String.join("/", done), host(done));
    }

    /** The host path of an absolute, clean container path that needs no resolution (the root is {@code /}). */
    public Path host(String cleanPath) {
        return host(components(cleanPath));
    }

    private Path host(List<String> components) {
        return components.isEmpty() ? root : root.resolve(String.join("/", components));
    }

    /**
     * The attributes of {@code host} itself, or null if nothing is there: {@link #lstat}, except at the root,
     * which is followed, since for a running container it is the link {@code /proc/PID/root} that stands for
     * its directory.
     */
    BasicFileAttributes attributes(Path host) throws IOException {
        try {
            return Files.readAttributes(host, BasicFileAttributes.class, linkOptions(host));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** How to read the attributes of {@code host} itself: without following a link, except at the root (see {@link #attributes}). */
    LinkOption[] linkOptions(Path host) {
        return host.equals(root) ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
    }

    /** The file's own attributes, or null if nothing is there. */
    static BasicFileAttributes lstat(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static List<String> components(String path) {
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/")) if (!p.isEmpty()) parts.add(p);
        return parts;
    }
}
