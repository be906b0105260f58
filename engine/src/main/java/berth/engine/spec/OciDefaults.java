package berth.engine.spec;

import java.util.List;
import java.util.Map;

/** What every Docker container gets unless told otherwise: moby's {@code oci.DefaultLinuxSpec} as tables. */
final class OciDefaults {
    private OciDefaults() {}

    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    static final List<OciMount> MOUNTS = List.of(
            new OciMount("/proc", "proc", "proc", List.of("rw", "nosuid", "noexec", "nodev")),
            new OciMount("/dev", "tmpfs", "tmpfs", List.of("rw", "nosuid", "strictatime", "mode=755", "size=65536k")),
            new OciMount("/dev/pts", "devpts", "devpts",
                    List.of("rw", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
            new OciMount("/sys", "sysfs", "sysfs", List.of("ro", "nosuid", "noexec", "nodev")),
            new OciMount("/sys/fs/cgroup", "cgroup", "cgroup", List.of("ro", "nosuid", "noexec", "nodev")),
            new OciMount("/dev/mqueue", "mqueue", "mqueue", List.of("rw", "nosuid", "noexec", "nodev")),
            new OciMount("/dev/shm", "tmpfs", "shm", List.of("rw", "nosuid", "noexec", "nodev", "mode=1777")));

    /** Mounts that stay writable when the root filesystem is read-only. */
    static final List<String> WRITABLE_WITH_READONLY_ROOT = List.of("/proc", "/dev/pts", "/dev/shm", "/dev/mqueue", "/dev");

    static final List<String> MASKED_PATHS = List.of("/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore",
            "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
            "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap");

    static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");

    /** Namespaces in Docker's order; cgroup is added for a private cgroup namespace. */
    static final List<String> NAMESPACES = List.of("mount", "network", "uts", "pid", "ipc");

    /**
     * Device cgroup rules: deny all, then allow /dev/zero, /dev/null, /dev/urandom, /dev/random, /dev/tty,
     * /dev/console, and deny /dev/net/tun (as rules: allow, type, major, minor, access).
     */
    static final List<DeviceRule> DEVICE_RULES = List.of(
            new DeviceRule(false, null, null, null, "rwm"),
            new DeviceRule(true, "c", 1L, 5L, "rwm"), new DeviceRule(true, "c", 1L, 3L, "rwm"),
            new DeviceRule(true, "c", 1L, 9L, "rwm"), new DeviceRule(true, "c", 1L, 8L, "rwm"),
            new DeviceRule(true, "c", 5L, 0L, "rwm"), new DeviceRule(true, "c", 5L, 1L, "rwm"),
            new DeviceRule(false, "c", 10L, 229L, "rwm"));

    /** Sysctls Docker sets in a container's own network namespace: ping and low ports without capabilities. */
    static final List<Map.Entry<String, String>> NETWORK_SYSCTLS = List.of(
            Map.entry("net.ipv4.ping_group_range", "0 2147483647"),
            Map.entry("net.ipv4.ip_unprivileged_port_start", "0"));

    /** An entry of {@code linux.resources.devices}; null type, major or minor mean "all". */
    record DeviceRule(boolean allow, String type, Long major, Long minor, String access) {}
}
