package berth.engine.spec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * config.json's mounts as dockerd's {@code WithMounts} lays them out: Docker's defaults (less those a container
 * mount replaces, everything under /dev when /dev itself is mounted, and /dev/shm with {@code --ipc none}), the
 * init binary, then the container's mounts, parents before children.
 */
final class SpecMounts {
    static final String INIT_PATH = "/sbin/docker-init";

    private SpecMounts() {}

    /**
     * @param containerMounts the daemon's mounts, plus the host's /dev/shm for {@code --ipc host}
     * @param initBinary      the host binary to mount at /sbin/docker-init, or null
     */
    static List<OciMount> of(List<OciMount> containerMounts, HostSettings h, String initBinary) {
        List<OciMount> user = new ArrayList<>(containerMounts);
        if (h.ipcMode().equals("host")) user.add(OciMount.bind("/dev/shm", "/dev/shm", false, "rprivate", true));
        user.sort(Comparator.comparingInt(OciMount::depth));
        Set<String> userTargets = new HashSet<>();
        for (OciMount m : user) {
            if (!userTargets.add(Mounts.clean(m.destination()))) {
                throw new IllegalArgumentException("Duplicate mount point: " + Mounts.clean(m.destination()));
            }
        }

        List<OciMount> defaults = new ArrayList<>(OciDefaults.MOUNTS);
        if (initBinary != null) defaults.add(OciMount.bind(initBinary, INIT_PATH, true, null, false));
        boolean userDev = userTargets.contains("/dev");
        List<OciMount> out = new ArrayList<>();
        for (OciMount m : defaults) {
            if (userTargets.contains(m.destination())) continue;
            if (userDev && m.destination().startsWith("/dev/")) continue;
            if (m.destination().equals("/dev/shm")) {
                if (h.ipcMode().equals("none")) continue;
                List<String> options = new ArrayList<>(m.options());
                options.add("size=" + h.shmSize());
                m = new OciMount(m.destination(), m.type(), m.source(), options);
            }
            out.add(m);
        }
        out.addAll(user);

        for (int i = 0; i < out.size(); i++) {
            OciMount m = out.get(i);
            if (h.readonlyRootfs() && !OciDefaults.WRITABLE_WITH_READONLY_ROOT.contains(m.destination())
                    && !userTargets.contains(Mounts.clean(m.destination()))) {
                m = m.readOnly();
            }
            if (h.privileged() && (m.destination().equals("/sys") || m.type().equals("cgroup"))) m = m.writable();
            out.set(i, m);
        }
        return out;
    }

    /**
     * The root's propagation that the container's bind mounts need: "shared" for a shared bind, "rslave" for a
     * slave one, or null to leave the runtime's default.
     */
    static String rootfsPropagation(List<OciMount> mounts) {
        String root = null;
        for (OciMount m : mounts) {
            if (!m.type().equals("bind")) continue;
            if (m.options().contains("shared") || m.options().contains("rshared")) return "shared";
            if (m.options().contains("slave") || m.options().contains("rslave")) root = "rslave";
        }
        return root;
    }
}
