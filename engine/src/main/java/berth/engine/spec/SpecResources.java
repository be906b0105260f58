package berth.engine.spec;

import berth.engine.spec.OciDefaults.DeviceRule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.List;

/** {@code linux.resources} from HostConfig's resources, as dockerd's {@code WithResources}. */
final class SpecResources {
    /** The CFS period that NanoCpus is expressed in: 100 ms. */
    static final long CPU_PERIOD = 100_000;

    private SpecResources() {}

    /**
     * @param unifiedCgroups on cgroup v2 dockerd drops OomKillDisable, which v2 cannot do
     */
    static ObjectNode of(HostSettings.Resources r, List<DeviceRule> rules, boolean unifiedCgroups, HostDevices host) {
        ObjectNode res = JsonNodeFactory.instance.objectNode();
        ArrayNode devices = res.putArray("devices");
        for (DeviceRule rule : rules) {
            ObjectNode d = devices.addObject().put("allow", rule.allow());
            if (rule.type() != null) d.put("type", rule.type());
            if (rule.major() != null) d.put("major", rule.major());
            if (rule.minor() != null) d.put("minor", rule.minor());
            d.put("access", rule.access());
        }

        ObjectNode memory = res.putObject("memory");
        if (r.memory() > 0) memory.put("limit", r.memory());
        if (r.memoryReservation() > 0) memory.put("reservation", r.memoryReservation());
        if (r.memorySwap() > 0) memory.put("swap", r.memorySwap());
        if (r.memorySwappiness() != null) memory.put("swappiness", r.memorySwappiness());
        if (r.oomKillDisable() != null && !unifiedCgroups) memory.put("disableOOMKiller", r.oomKillDisable());

        ObjectNode cpu = res.putObject("cpu").put("shares", r.cpuShares());
        if (!r.cpusetCpus().isEmpty()) cpu.put("cpus", r.cpusetCpus());
        if (!r.cpusetMems().isEmpty()) cpu.put("mems", r.cpusetMems());
        if (r.nanoCpus() > 0) {
            cpu.put("period", CPU_PERIOD);
            cpu.put("quota", r.nanoCpus() * CPU_PERIOD / 1_000_000_000L);
        }
        if (r.cpuPeriod() != 0) cpu.put("period", r.cpuPeriod());
        if (r.cpuQuota() != 0) cpu.put("quota", r.cpuQuota());

        if (r.pidsLimit() != null) res.putObject("pids").put("limit", r.pidsLimit() <= 0 ? -1 : r.pidsLimit());

        ObjectNode blkio = res.putObject("blockIO").put("weight", r.blkioWeight());
        devices(blkio, "weightDevice", "weight", r.blkioWeightDevice(), host);
        devices(blkio, "throttleReadBpsDevice", "rate", r.blkioDeviceReadBps(), host);
        devices(blkio, "throttleWriteBpsDevice", "rate", r.blkioDeviceWriteBps(), host);
        devices(blkio, "throttleReadIOPSDevice", "rate", r.blkioDeviceReadIOps(), host);
        devices(blkio, "throttleWriteIOPSDevice", "rate", r.blkioDeviceWriteIOps(), host);
        return res;
    }

    /** Per-device limits name a host path; the spec wants its major and minor numbers. */
    private static void devices(ObjectNode blkio, String field, String valueField, List<HostSettings.DeviceLimit> limits,
                                HostDevices host) {
        if (limits.isEmpty()) return;
        ArrayNode out = blkio.putArray(field);
        for (HostSettings.DeviceLimit limit : limits) {
            HostDevice dev;
            try {
                List<HostDevice> found = host.at(limit.path());
                if (found.size() != 1 || !found.getFirst().path().isEmpty()) {
                    throw new IllegalArgumentException("stat " + limit.path() + ": not a device node");
                }
                dev = found.getFirst();
            } catch (IOException e) {
                throw new IllegalArgumentException("stat " + limit.path() + ": " + (e instanceof NoSuchFileException
                        ? "no such file or directory" : e.getMessage()));
            }
            out.addObject().put("major", dev.major()).put("minor", dev.minor()).put(valueField, limit.value());
        }
    }
}
