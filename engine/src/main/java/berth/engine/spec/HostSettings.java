package berth.engine.spec;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A typed, read-only view of a normalised {@code HostConfig}. Absent fields read as Go's zero values; where Docker
 * tells "unset" from zero (Init, OomKillDisable, PidsLimit, MemorySwappiness, MaskedPaths, ReadonlyPaths) the
 * accessor returns null for unset.
 */
public final class HostSettings {
    /** A published port: host address ("" for all) and host port ("" for an ephemeral one, or "8000-8010"). */
    public record PortBinding(String hostIp, String hostPort) {}

    /** Name is one of no, always, unless-stopped, on-failure. */
    public record RestartPolicy(String name, long maximumRetryCount) {}

    /** The log driver (json-file or none) and its options (max-size, max-file, ...). */
    public record LogConfig(String type, Map<String, String> config) {
        /** json-file's max-size in bytes (decimal units: "10m" is 10,000,000), or -1 for no rotation. */
        public long maxSize() {
            String v = config.get("max-size");
            return v == null ? -1 : Units.fromHumanSize(v);
        }

        /** json-file's max-file: how many files to keep, 1 unless set. */
        public int maxFile() {
            String v = config.get("max-file");
            return v == null ? 1 : Integer.parseInt(v);
        }
    }

    /** A resource limit by Docker's name ("nofile", "nproc", ...). */
    public record Ulimit(String name, long soft, long hard) {}

    /** {@code --device}: a host device node or directory, its path in the container and cgroup permissions. */
    public record DeviceMapping(String pathOnHost, String pathInContainer, String cgroupPermissions) {}

    /** {@code --link name:alias}. */
    public record Link(String name, String alias) {}

    /** A per-device blkio weight or throttle, named by the host path of a block device. */
    public record DeviceLimit(String path, long value) {}

    /** The cgroup limits of HostConfig's embedded Resources. */
    public record Resources(long memory, long memorySwap, long memoryReservation, Long memorySwappiness,
                            Boolean oomKillDisable, long kernelMemory, long nanoCpus, long cpuShares, long cpuPeriod,
                            long cpuQuota, long cpuRealtimePeriod, long cpuRealtimeRuntime, String cpusetCpus,
                            String cpusetMems, Long pidsLimit, long blkioWeight, List<DeviceLimit> blkioWeightDevice,
                            List<DeviceLimit> blkioDeviceReadBps, List<DeviceLimit> blkioDeviceWriteBps,
                            List<DeviceLimit> blkioDeviceReadIOps, List<DeviceLimit> blkioDeviceWriteIOps,
                            long ioMaximumIOps, long ioMaximumBandwidth) {}

    private final JsonNode h;

    HostSettings(JsonNode hostConfig) {
        this.h = hostConfig;
    }

    public List<String> binds() {
        return Nodes.strings(h, "Binds");
    }

    /** HostConfig.Mounts as normalised objects; {@link Mounts} reads them. */
    List<JsonNode> mounts() {
        return Nodes.objects(h, "Mounts");
    }

    /** Container path to tmpfs options, e.g. "/run" to "rw,noexec,nosuid,size=65536k". */
    public Map<String, String> tmpfs() {
        return Nodes.stringMap(h, "Tmpfs");
    }

    public List<String> volumesFrom() {
        return Nodes.strings(h, "VolumesFrom");
    }

    public String volumeDriver() {
        return Nodes.text(h, "VolumeDriver");
    }

    /** "port/proto" to the host bindings asked for; an empty list publishes nothing for that port. */
    public Map<String, List<PortBinding>> portBindings() {
        Map<String, List<PortBinding>> out = new LinkedHashMap<>();
        Nodes.object(h, "PortBindings").properties().forEach(e -> out.put(e.getKey(), Ports.bindings(e.getValue())));
        return out;
    }

    public boolean publishAllPorts() {
        return Nodes.bool(h, "PublishAllPorts");
    }

    /** "bridge" (the default), "host", "none", "container:&lt;name|id&gt;" or a user-defined network's name. */
    public String networkMode() {
        return Nodes.text(h, "NetworkMode");
    }

    /** Links as moby's ParseLink reads them: "name:alias", "name", or the stored form "/name:/container/alias". */
    public List<Link> links() {
        List<Link> out = new ArrayList<>();
        for (String l : Nodes.strings(h, "Links")) {
            String[] parts = l.split(":", -1);
            if (parts.length == 1) {
                out.add(new Link(l, l));
            } else if (parts[0].startsWith("/")) {
                out.add(new Link(parts[0].substring(1), parts[1].substring(parts[1].lastIndexOf('/') + 1)));
            } else {
                out.add(new Link(parts[0], parts[1]));
            }
        }
        return out;
    }

    public List<String> dns() {
        return Nodes.strings(h, "Dns");
    }

    public List<String> dnsSearch() {
        return Nodes.strings(h, "DnsSearch");
    }

    public List<String> dnsOptions() {
        return Nodes.strings(h, "DnsOptions");
    }

    /** "host:ip" (or "host=ip") entries for /etc/hosts; ip may be "host-gateway". */
    public List<String> extraHosts() {
        return Nodes.strings(h, "ExtraHosts");
    }

    public RestartPolicy restartPolicy() {
        JsonNode p = Nodes.object(h, "RestartPolicy");
        return new RestartPolicy(Nodes.text(p, "Name"), Nodes.number(p, "MaximumRetryCount"));
    }

    public boolean autoRemove() {
        return Nodes.bool(h, "AutoRemove");
    }

    public boolean privileged() {
        return Nodes.bool(h, "Privileged");
    }

    public List<String> capAdd() {
        return Nodes.strings(h, "CapAdd");
    }

    public List<String> capDrop() {
        return Nodes.strings(h, "CapDrop");
    }

    public List<String> securityOpt() {
        return Nodes.strings(h, "SecurityOpt");
    }

    public boolean readonlyRootfs() {
        return Nodes.bool(h, "ReadonlyRootfs");
    }

    public List<Ulimit> ulimits() {
        List<Ulimit> out = new ArrayList<>();
        for (JsonNode u : Nodes.objects(h, "Ulimits")) {
            out.add(new Ulimit(Nodes.text(u, "Name"), Nodes.number(u, "Soft"), Nodes.number(u, "Hard")));
        }
        return out;
    }

    /** Whether to run docker-init as PID 1 (unset means the daemon's default, which is off). */
    public boolean init() {
        return Nodes.bool(h, "Init");
    }

    public Resources resources() {
        return new Resources(Nodes.number(h, "Memory"), Nodes.number(h, "MemorySwap"),
                Nodes.number(h, "MemoryReservation"), Nodes.optionalNumber(h, "MemorySwappiness"),
                Nodes.optionalBool(h, "OomKillDisable"), Nodes.number(h, "KernelMemory"), Nodes.number(h, "NanoCpus"),
                Nodes.number(h, "CpuShares"), Nodes.number(h, "CpuPeriod"), Nodes.number(h, "CpuQuota"),
                Nodes.number(h, "CpuRealtimePeriod"), Nodes.number(h, "CpuRealtimeRuntime"),
                Nodes.text(h, "CpusetCpus"), Nodes.text(h, "CpusetMems"), Nodes.optionalNumber(h, "PidsLimit"),
                Nodes.number(h, "BlkioWeight"), deviceLimits("BlkioWeightDevice", "Weight"),
                deviceLimits("BlkioDeviceReadBps", "Rate"), deviceLimits("BlkioDeviceWriteBps", "Rate"),
                deviceLimits("BlkioDeviceReadIOps", "Rate"), deviceLimits("BlkioDeviceWriteIOps", "Rate"),
                Nodes.number(h, "IOMaximumIOps"), Nodes.number(h, "IOMaximumBandwidth"));
    }

    private List<DeviceLimit> deviceLimits(String field, String valueField) {
        List<DeviceLimit> out = new ArrayList<>();
        for (JsonNode d : Nodes.objects(h, field)) out.add(new DeviceLimit(Nodes.text(d, "Path"), Nodes.number(d, valueField)));
        return out;
    }

    public List<DeviceMapping> devices() {
        List<DeviceMapping> out = new ArrayList<>();
        for (JsonNode d : Nodes.objects(h, "Devices")) {
            out.add(new DeviceMapping(Nodes.text(d, "PathOnHost"), Nodes.text(d, "PathInContainer"),
                    Nodes.text(d, "CgroupPermissions")));
        }
        return out;
    }

    /** Rules such as "c 1:3 rwm" or "a *:* m". */
    public List<String> deviceCgroupRules() {
        return Nodes.strings(h, "DeviceCgroupRules");
    }

    /** /dev/shm's size in bytes (64 MiB unless set). */
    public long shmSize() {
        return Nodes.number(h, "ShmSize");
    }

    public Map<String, String> sysctls() {
        return Nodes.stringMap(h, "Sysctls");
    }

    public List<String> groupAdd() {
        return Nodes.strings(h, "GroupAdd");
    }

    public int oomScoreAdj() {
        return (int) Nodes.number(h, "OomScoreAdj");
    }

    public LogConfig logConfig() {
        JsonNode l = Nodes.object(h, "LogConfig");
        return new LogConfig(Nodes.text(l, "Type"), Nodes.stringMap(l, "Config"));
    }

    /** "private" (default), "shareable", "none", "host" or "container:&lt;name|id&gt;". */
    public String ipcMode() {
        return Nodes.text(h, "IpcMode");
    }

    /** "" (a new PID namespace), "host" or "container:&lt;name|id&gt;". */
    public String pidMode() {
        return Nodes.text(h, "PidMode");
    }

    /** "" or "host". */
    public String utsMode() {
        return Nodes.text(h, "UTSMode");
    }

    /** "private" or "host". */
    public String cgroupnsMode() {
        return Nodes.text(h, "CgroupnsMode");
    }

    public String cgroupParent() {
        return Nodes.text(h, "CgroupParent");
    }

    /** Paths to mask, or null for Docker's defaults. */
    public List<String> maskedPaths() {
        return Nodes.optionalStrings(h, "MaskedPaths");
    }

    /** Paths to make read-only, or null for Docker's defaults. */
    public List<String> readonlyPaths() {
        return Nodes.optionalStrings(h, "ReadonlyPaths");
    }

    /** The initial terminal size as [height, width], or an empty list. */
    public List<Long> consoleSize() {
        List<Long> out = new ArrayList<>();
        Nodes.object(h, "ConsoleSize").forEach(n -> out.add(n.longValue()));
        return out;
    }

    /** The container named by a "container:&lt;name|id&gt;" mode, or null for any other mode. */
    public static String containerOf(String mode) {
        return mode.startsWith("container:") ? mode.substring("container:".length()) : null;
    }
}
