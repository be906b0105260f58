package berth.engine.spec;

/**
 * Namespaces the container joins instead of getting new ones. The request's modes decide which namespaces the
 * container shares with the host (mode "host": none is listed) and which it joins (mode "container:x": the path
 * here is required, e.g. {@code /proc/<pid>/ns/pid} of that container's init).
 *
 * @param network the network namespace to join (one the daemon made and attached, or another container's), or
 *                null for a new one that the runtime makes; ignored for {@code --network host}
 * @param pid     the PID namespace to join for {@code --pid container:x}, else null
 * @param ipc     the IPC namespace to join for {@code --ipc container:x}, else null. The daemon also passes that
 *                container's /dev/shm as a bind mount at /dev/shm (e.g. from {@code /proc/<pid>/root/dev/shm}).
 */
public record NamespacePaths(String network, String pid, String ipc) {
    /** New namespaces for everything the modes do not share. */
    public static final NamespacePaths NONE = new NamespacePaths(null, null, null);
}
