package berth.engine.spec;

import berth.image.ImageConfig;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything {@link OciSpecBuilder} needs: the request, the image's run config, and what the daemon resolved.
 *
 * @param request     the parsed create request
 * @param image       the image's run config (Env, Entrypoint, Cmd, WorkingDir, User, ...), or null
 * @param containerId the container's full id
 * @param rootfs      the container's mounted root filesystem (users are looked up in it)
 * @param hostname    the container's hostname: the request's, or the first 12 characters of the id, or the
 *                    host's name for {@code --network host}
 * @param mounts      the mounts the daemon resolved from {@link Mounts#parse} (volumes, binds, tmpfs), plus the
 *                    files it bind-mounts (/etc/hosts, /etc/hostname, /etc/resolv.conf) and, for
 *                    {@code --ipc container:x}, that container's /dev/shm
 * @param namespaces  namespaces to join
 * @param cgroupsPath the container's cgroup, e.g. "/berth/&lt;id&gt;"
 * @param linkEnv     environment variables for legacy links (DB_PORT_5432_TCP=...); Config.Env overrides them
 * @param host        facts about the host
 */
public record SpecInputs(CreateRequest request, ImageConfig.RunConfig image, String containerId, Path rootfs,
                         String hostname, List<OciMount> mounts, NamespacePaths namespaces, String cgroupsPath,
                         List<String> linkEnv, HostInfo host) {
    public SpecInputs {
        mounts = List.copyOf(mounts);
        linkEnv = List.copyOf(linkEnv);
    }
}
