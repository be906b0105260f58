package berth.engine.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The defaults dockerd fills into a new container's HostConfig ({@code adaptContainerSettings} and the create
 * route), so that inspect shows what the container really gets.
 */
final class HostDefaults {
    /** config.DefaultShmSize: 64 MiB. */
    static final long SHM_SIZE = 64L * 1024 * 1024;

    private HostDefaults() {}

    static void apply(ObjectNode h, HostInfo host) {
        if (Nodes.number(h, "ShmSize") == 0) h.put("ShmSize", SHM_SIZE);
        long memory = Nodes.number(h, "Memory");
        if (memory > 0 && Nodes.number(h, "MemorySwap") == 0) h.put("MemorySwap", memory * 2);
        Long swappiness = Nodes.optionalNumber(h, "MemorySwappiness");
        if (swappiness != null && swappiness == -1) h.remove("MemorySwappiness");
        if (!h.has("OomKillDisable")) h.put("OomKillDisable", false);
        if (Nodes.text(h, "IpcMode").isEmpty()) h.put("IpcMode", "private");
        if (Nodes.text(h, "CgroupnsMode").isEmpty()) {
            h.put("CgroupnsMode", host.unifiedCgroups() ? "private" : "host");
        }
        String network = Nodes.text(h, "NetworkMode");
        if (network.isEmpty() || network.equals("default")) h.put("NetworkMode", "bridge");
        if (Nodes.text(Nodes.object(h, "RestartPolicy"), "Name").isEmpty()) {
            h.putObject("RestartPolicy").put("Name", "no").put("MaximumRetryCount", 0);
        }
        ObjectNode log = h.has("LogConfig") ? (ObjectNode) h.get("LogConfig") : h.putObject("LogConfig");
        if (Nodes.text(log, "Type").isEmpty()) log.put("Type", "json-file");
        if (!log.has("Config")) log.putObject("Config");
    }
}
