package berth.engine.api;

import berth.engine.Container;
import berth.engine.ContainerNetworking;
import berth.engine.ContainerStore;
import berth.engine.Json;
import berth.network.Endpoint;
import berth.network.PortMapping;
import berth.network.ports.PortBindings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Containers in the shapes of Docker's API: {@code ContainerInspectResponse} and the {@code /containers/json} summary. */
final class ContainerViews {
    private final ContainerStore store;
    private final ContainerNetworking networking;

    ContainerViews(ContainerStore store, ContainerNetworking networking) {
        this.store = store;
        this.networking = networking;
    }

    ObjectNode inspect(Container c, Collection<String> execIds) {
        ObjectNode o = Json.object();
        Path dir = store.dir(c.id);
        o.put("Id", c.id);
        o.put("Created", c.created);
        o.put("Path", c.path);
        ArrayNode args = o.putArray("Args");
        c.args.forEach(args::add);
        ObjectNode s = o.putObject("State");
        s.put("Status", c.state.status);
        s.put("Running", c.state.running());
        s.put("Paused", c.state.paused);
        s.put("Restarting", c.state.status.equals("restarting"));
        s.put("OOMKilled", c.state.oomKilled);
        s.put("Dead", c.state.dead);
        s.put("Pid", c.state.pid);
        s.put("ExitCode", c.state.exitCode);
        s.put("Error", c.state.error);
        s.put("StartedAt", c.state.startedAt);
        s.put("FinishedAt", c.state.finishedAt);
        o.put("Image", c.image);
        o.put("ResolvConfPath", dir.resolve("resolv.conf").toString());
        o.put("HostnamePath", dir.resolve("hostname").toString());
        o.put("HostsPath", dir.resolve("hosts").toString());
        o.put("LogPath", dir.resolve(c.id + "-json.log").toString());
        o.put("Name", "/" + c.name);
        o.put("RestartCount", c.restartCount);
        o.put("Driver", c.driver);
        o.put("Platform", "linux");
        o.put("MountLabel", "");
        o.put("ProcessLabel", "");
        o.put("AppArmorProfile", "");
        if (execIds.isEmpty()) o.putNull("ExecIDs");
        else execIds.forEach(o.putArray("ExecIDs")::add);
        ObjectNode hc = c.hostConfig.deepCopy();
        ObjectNode requested = Json.object();
        c.hostConfig.path("PortBindings").properties().forEach(e -> requested.set(e.getKey(), e.getValue()));
        hc.set("PortBindings", requested);
        o.set("HostConfig", hc);
        ObjectNode gd = o.putObject("GraphDriver");
        ObjectNode data = gd.putObject("Data");
        data.put("MergedDir", dir.resolve("rootfs").toString());
        data.put("UpperDir", dir.resolve("rw").toString());
        gd.put("Name", c.driver);
        ArrayNode mounts = o.putArray("Mounts");
        for (Container.MountPoint m : c.mounts) mounts.add(mountPoint(m));
        o.set("Config", c.config);
        o.set("NetworkSettings", networkSettings(c, true));
        return o;
    }

    private static ObjectNode mountPoint(Container.MountPoint m) {
        ObjectNode j = Json.object();
        j.put("Type", m.type());
        if (m.name() != null) j.put("Name", m.name());
        j.put("Source", m.source());
        j.put("Destination", m.destination());
        if (m.driver() != null) j.put("Driver", m.driver());
        j.put("Mode", m.mode());
        j.put("RW", m.rw());
        j.put("Propagation", m.propagation() == null ? "" : m.propagation());
        return j;
    }

    private ObjectNode networkSettings(Container c, boolean full) {
        ObjectNode n = Json.object();
        List<Endpoint> eps = c.state.running() ? networking.endpoints(c) : List.of();
        if (full) {
            n.put("Bridge", "");
            n.put("SandboxID", c.state.running() ? c.id : "");
            n.put("HairpinMode", false);
            n.put("LinkLocalIPv6Address", "");
            n.put("LinkLocalIPv6PrefixLen", 0);
            List<String> exposed = new ArrayList<>();
            c.config.path("ExposedPorts").fieldNames().forEachRemaining(exposed::add);
            n.set("Ports", Json.MAPPER.valueToTree(c.state.running() ? PortBindings.ofEndpoints(eps, exposed) : java.util.Map.of()));
            n.put("SandboxKey", c.state.running() ? store.dir(c.id).resolve("netns").toString() : "");
            n.putNull("SecondaryIPAddresses");
            n.putNull("SecondaryIPv6Addresses");
            JsonNode primary = c.networks.get(ContainerNetworking.mode(c));
            n.put("EndpointID", primary == null ? "" : primary.path("EndpointID").asText());
            n.put("Gateway", primary == null ? "" : primary.path("Gateway").asText());
            n.put("GlobalIPv6Address", "");
            n.put("GlobalIPv6PrefixLen", 0);
            n.put("IPAddress", primary == null ? "" : primary.path("IPAddress").asText());
            n.put("IPPrefixLen", primary == null ? 0 : primary.path("IPPrefixLen").asInt());
            n.put("IPv6Gateway", "");
            n.put("MacAddress", primary == null ? "" : primary.path("MacAddress").asText());
        }
        ObjectNode nets = n.putObject("Networks");
        if (c.state.running()) {
            c.networks.forEach(nets::set);
        } else {
            String mode = ContainerNetworking.mode(c);
            List<String> names = new ArrayList<>();
            if (!mode.startsWith("container:")) names.add(mode);
            if (c.endpointsConfig != null) c.endpointsConfig.fieldNames().forEachRemaining(x -> { if (!names.contains(x) && !x.equals("default")) names.add(x); });
            for (String name : names) nets.set(name, emptyEndpoint(networking.networkIds().getOrDefault(name, "")));
        }
        return n;
    }

    private static ObjectNode emptyEndpoint(String networkId) {
        ObjectNode s = Json.object();
        s.putNull("IPAMConfig");
        s.putNull("Links");
        s.putNull("Aliases");
        s.put("NetworkID", networkId);
        s.put("EndpointID", "");
        s.put("Gateway", "");
        s.put("IPAddress", "");
        s.put("IPPrefixLen", 0);
        s.put("IPv6Gateway", "");
        s.put("GlobalIPv6Address", "");
        s.put("GlobalIPv6PrefixLen", 0);
        s.put("MacAddress", "");
        s.putNull("DriverOpts");
        return s;
    }

    ObjectNode summary(Container c) {
        ObjectNode o = Json.object();
        o.put("Id", c.id);
        o.putArray("Names").add("/" + c.name);
        o.put("Image", c.imageName);
        o.put("ImageID", c.image);
        List<String> cmd = new ArrayList<>();
        if (c.path != null && !c.path.isEmpty()) cmd.add(c.path);
        cmd.addAll(c.args);
        o.put("Command", String.join(" ", cmd));
        o.put("Created", OffsetDateTime.parse(c.created).toEpochSecond());
        ArrayNode ports = o.putArray("Ports");
        if (c.state.running()) {
            for (Endpoint e : networking.endpoints(c)) {
                for (PortMapping m : e.ports()) {
                    ObjectNode p = ports.addObject();
                    p.put("IP", m.hostIp() == null ? "0.0.0.0" : m.hostIp());
                    p.put("PrivatePort", m.containerPort());
                    p.put("PublicPort", m.hostPort());
                    p.put("Type", m.protocol());
                }
            }
        }
        o.set("Labels", c.config.path("Labels").isObject() ? c.config.get("Labels") : Json.object());
        o.put("State", c.state.status);
        o.put("Status", status(c));
        o.putObject("HostConfig").put("NetworkMode", c.hostConfig.path("NetworkMode").asText("default"));
        o.set("NetworkSettings", networkSettings(c, false));
        ArrayNode mounts = o.putArray("Mounts");
        for (Container.MountPoint m : c.mounts) mounts.add(mountPoint(m));
        return o;
    }

    /** Docker's human status: {@code Up 5 seconds}, {@code Exited (0) 3 minutes ago}, {@code Created}. */
    static String status(Container c) {
        return switch (c.state.status) {
            case "running" -> "Up " + human(since(c.state.startedAt));
            case "paused" -> "Up " + human(since(c.state.startedAt)) + " (Paused)";
            case "restarting" -> "Restarting (" + c.state.exitCode + ") " + human(since(c.state.finishedAt)) + " ago";
            case "exited" -> c.state.finishedAt.equals(Json.ZERO_TIME) && !c.hasBeenStarted ? "Created"
                    : "Exited (" + c.state.exitCode + ") " + human(since(c.state.finishedAt)) + " ago";
            case "removing" -> "Removal In Progress";
            case "dead" -> "Dead";
            default -> "Created";
        };
    }

    private static Duration since(String time) {
        try {
            return Duration.between(OffsetDateTime.parse(time).toInstant(), Instant.now());
        } catch (RuntimeException e) {
            return Duration.ZERO;
        }
    }

    /** go-units' HumanDuration. */
    static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 1) return "Less than a second";
        if (s == 1) return "1 second";
        if (s < 60) return s + " seconds";
        long m = d.toMinutes();
        if (m == 1) return "About a minute";
        if (m < 60) return m + " minutes";
        long h = Math.round(d.toMinutes() / 60.0);
        if (h == 1) return "About an hour";
        if (h < 48) return h + " hours";
        if (h < 24 * 7 * 2) return h / 24 + " days";
        if (h < 24 * 30 * 2) return h / 24 / 7 + " weeks";
        if (h < 24 * 365 * 2) return h / 24 / 30 + " months";
        return h / 24 / 365 + " years";
    }
}
