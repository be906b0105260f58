package berth.network;

import java.nio.file.Path;

/**
 * What berth keeps about an attachment, so that detach and reconcile work after a restart: the endpoint,
 * the network's ID, and the namespace it was put in with the namespace's inode (a path such as
 * {@code /proc/PID/ns/net} can name another namespace once the PID is reused; the inode tells).
 *
 * @param attached false while ADD is under way (or was interrupted by a crash)
 */
record EndpointRecord(Endpoint endpoint, String networkId, String netns, long netnsInode, boolean attached, String created) {

    String containerId() {
        return endpoint.containerId();
    }

    EndpointRecord attached(Endpoint ep) {
        return new EndpointRecord(ep, networkId, netns, netnsInode, true, created);
    }

    /** Whether the namespace this endpoint was put in still exists at its path. */
    boolean namespaceAlive() {
        Long ino = Netns.inode(Path.of(netns));
        return ino != null && ino == netnsInode;
    }
}
