package berth.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Network namespace files: {@code /proc/PID/ns/net} or a bind mount such as {@code /run/netns/NAME}. */
final class Netns {
    private Netns() {}

    /** The namespace's inode (what {@code stat} shows through the path), or null if the path does not resolve. */
    static Long inode(Path netns) {
        try {
            return (Long) Files.getAttribute(netns, "unix:ino");
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }
}
