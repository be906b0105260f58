package berth.engine.spec;

import java.io.IOException;
import java.util.List;

/**
 * Looks up device nodes on the host. The daemon uses {@link DevNodes}; tests pass a fake so that they need
 * neither root nor particular devices.
 */
public interface HostDevices {
    /**
     * The device nodes at {@code pathOnHost}, as moby's {@code DevicesFromPath} finds them: the node itself (a
     * symlink to a node is followed), or every node below a directory. Paths in the result are relative to
     * {@code pathOnHost}: "" for the node itself, e.g. "input/event0" for a node below a directory.
     *
     * @return the nodes; empty when the path is neither a device node nor a directory holding any
     * @throws IOException when the path cannot be read, e.g. {@link java.nio.file.NoSuchFileException}
     */
    List<HostDevice> at(String pathOnHost) throws IOException;

    /**
     * Every device node under /dev, as containerd's {@code HostDevices} lists them for privileged containers, with
     * their absolute paths (which are the same in the container).
     */
    List<HostDevice> all() throws IOException;
}
