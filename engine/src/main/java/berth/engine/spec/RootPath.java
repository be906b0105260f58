package berth.engine.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Resolves a path inside a root filesystem the way moby's {@code FollowSymlinkInScope} does: symlinks are followed
 * component by component, absolute link targets and ".." are taken relative to the root, and nothing resolves to a
 * place outside it. Use it before reading a file of a container's root filesystem from the host.
 */
final class RootPath {
    private static final int MAX_SYMLINKS = 255;

    private RootPath() {}

    /**
     * The host path of {@code path} (absolute in the container) under {@code root}; the result may not exist.
     *
     * @throws IOException when a symlink cannot be read or there are too many links
     */
    static Path resolve(Path root, String path) throws IOException {
        Deque<String> todo = new ArrayDeque<>();
        push(todo, path);
        Deque<String> done = new ArrayDeque<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String part = todo.pop();
            if (part.equals("..")) {
                if (!done.isEmpty()) done.removeLast();
                continue;
            }
            Path candidate = join(root, done).resolve(part);
            if (Files.isSymbolicLink(candidate)) {
                if (++links > MAX_SYMLINKS) throw new IOException("resolve " + path + " in " + root + ": too many symlinks");
                String target = Files.readSymbolicLink(candidate).toString();
                if (target.startsWith("/")) done.clear();
                push(todo, target);
            } else {
                done.addLast(part);
                if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
                    while (!todo.isEmpty()) {
                        String rest = todo.pop();
                        if (rest.equals("..")) {
                            if (!done.isEmpty()) done.removeLast();
                        } else {
                            done.addLast(rest);
                        }
                    }
                }
            }
        }
        return join(root, done);
    }

    /** Puts the components of {@code path} in front of the queue, in order; "." and empty parts are dropped. */
    private static void push(Deque<String> todo, String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            if (!parts[i].isEmpty() && !parts[i].equals(".")) todo.push(parts[i]);
        }
    }

    private static Path join(Path root, Deque<String> parts) {
        Path p = root;
        for (String part : parts) p = p.resolve(part);
        return p;
    }
}
