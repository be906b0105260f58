package berth.engine.spec;

/**
 * A device node on the host: what {@code linux.devices} needs to recreate it in a container.
 *
 * @param type     "c" (character) or "b" (block)
 * @param path     where the node is (on the host, or in the container once {@link #at moved})
 * @param fileMode the permission bits of the node (mode without the file type)
 */
public record HostDevice(String type, String path, long major, long minor, int fileMode, long uid, long gid) {
    /** The same node at another path. */
    public HostDevice at(String newPath) {
        return new HostDevice(type, newPath, major, minor, fileMode, uid, gid);
    }
}
