package berth.engine.spec;

import java.util.Map;

/**
 * One mount a container asked for, from HostConfig.Binds, HostConfig.Mounts, HostConfig.Tmpfs or an anonymous
 * volume (Config.Volumes and the image's volumes). The daemon resolves volumes to host paths (it owns the volume
 * store) and turns each request into an {@link OciMount} with {@link #toOci}.
 *
 * @param type          bind, volume or tmpfs
 * @param source        the host path of a bind, the name of a named volume, null for an anonymous volume or tmpfs
 * @param target        the absolute, cleaned path in the container
 * @param readOnly      whether the container sees it read-only
 * @param propagation   "rprivate" (the default for binds), "shared", "rslave", ... or "" for volumes and tmpfs
 * @param recursive     rbind (true, the default) or bind (BindOptions.NonRecursive)
 * @param noCopy        for volumes: do not copy the image's content at the target into a new, empty volume
 * @param createSource  for binds: create a missing host directory (true for Binds, as Docker does; false for
 *                      Mounts unless BindOptions.CreateMountpoint)
 * @param tmpfsOptions  for tmpfs: the mount data, e.g. "size=65536k,mode=1777"
 * @param volumeLabels  for named volumes created on the fly: VolumeOptions.Labels
 * @param mode          the mode string of a Binds entry ("ro,z"), "" otherwise (inspect shows it)
 */
public record MountRequest(Type type, String source, String target, boolean readOnly, String propagation,
                           boolean recursive, boolean noCopy, boolean createSource, String tmpfsOptions,
                           Map<String, String> volumeLabels, String mode) {

    /** The mount types berth supports, with the names the API uses. */
    public enum Type {
        BIND("bind"), VOLUME("volume"), TMPFS("tmpfs");

        private final String apiName;

        Type(String apiName) {
            this.apiName = apiName;
        }

        public String apiName() {
            return apiName;
        }
    }

    public MountRequest {
        volumeLabels = Map.copyOf(volumeLabels);
    }

    /** An anonymous volume: the daemon makes a new volume with a random name. */
    public boolean anonymous() {
        return type == Type.VOLUME && source == null;
    }

    /**
     * The OCI mount for this request.
     *
     * @param hostSource the host directory to bind: the bind's own source, or the volume's data directory; ignored
     *                   for tmpfs
     */
    public OciMount toOci(String hostSource) {
        return type == Type.TMPFS ? OciMount.tmpfs(target, tmpfsOptions)
                : OciMount.bind(hostSource, target, readOnly, propagation, recursive);
    }
}
