package berth.engine.spec;

import berth.runtime.spec.Capability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Facts about the host that Docker's defaults and checks depend on. The daemon detects them once with
 * {@link #detect}; tests make their own.
 *
 * @param cpus           the number of CPUs containers may use (the range of {@code NanoCpus} and {@code CpusetCpus})
 * @param unifiedCgroups true on a cgroup v2 host, where containers get a private cgroup namespace by default
 * @param lastCap        the kernel's highest capability number ({@code /proc/sys/kernel/cap_last_cap})
 * @param initBinary     the host binary that {@code --init} mounts at /sbin/docker-init, or null when there is none
 * @param devices        the host's device nodes, for {@code --device} and privileged containers
 */
public record HostInfo(int cpus, boolean unifiedCgroups, int lastCap, Path initBinary, HostDevices devices) {
    /** Debian's static tini (package tini), which berth uses as Docker uses docker-init. */
    public static final Path DEFAULT_INIT = Path.of("/usr/bin/tini-static");

    /** This host, with {@code initBinary} for {@code --init} (null if the host has none). */
    public static HostInfo detect(Path initBinary) {
        Path capLastCap = Path.of("/proc/sys/kernel/cap_last_cap");
        int lastCap;
        try {
            lastCap = Integer.parseInt(Files.readString(capLastCap).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("read " + capLastCap + ": " + e.getMessage(), e);
        }
        return new HostInfo(Runtime.getRuntime().availableProcessors(),
                Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")), lastCap, initBinary, new DevNodes(Path.of("/dev")));
    }

    /** Every capability the kernel knows, by name with the CAP_ prefix: what a privileged container gets. */
    public List<String> allCapabilities() {
        List<String> all = Capability.all();
        return all.subList(0, Math.min(all.size(), lastCap + 1));
    }
}
