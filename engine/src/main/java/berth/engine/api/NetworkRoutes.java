package berth.engine.api;

import berth.engine.Container;
import berth.engine.ContainerNetworking;
import berth.engine.ContainerStore;
import berth.engine.EngineException;
import berth.engine.Events;
import berth.engine.Json;
import berth.engine.http.Exchange;
import berth.engine.http.Router;
import berth.network.Endpoint;
import berth.network.Network;
import berth.network.Networks;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code /networks/...}: berth's bridge networks, plus Docker's {@code host} and {@code none}. */
final class NetworkRoutes {
    private static final String HOST_ID = "a".repeat(64), NONE_ID = "0".repeat(64);
    private final ContainerNetworking networking;
    private final ContainerStore store;
    private final Events events;

    NetworkRoutes(ContainerNetworking networking, ContainerStore store, Events events) {
        this.networking = networking;
        this.store = store;
        this.events = events;
    }

    private Networks networks() {
        return networking.networks();
    }

    void register(Router r) {
        r.on("GET", "/networks", this::list);
        r.on("POST", "/networks/create", this::create);
        r.on("POST", "/networks/prune", this::prune);
        r.on("GET", "/networks/{id}", ex -> ex.json(200, inspect(find(ex.param("id")))));
        r.on("DELETE", "/networks/{id}", this::remove);
        r.on("POST", "/networks/{id}/connect", this::connect);
        r.on("POST", "/networks/{id}/disconnect", this::disconnect);
    }

    /** A stored network, or the pseudo networks host and none (null network, named). */
    private record Found(Network network, String name, String id, String driver) {}

    private Found find(String ref) {
        if (ref.equals("host") || ref.equals(HOST_ID)) return new Found(null, "host", HOST_ID, "host");
        if (ref.equals("none") || ref.equals(NONE_ID)) return new Found(null, "none", NONE_ID, "null");
        if (ref.equals(Networks.DEFAULT_NETWORK)) networks().ensureDefault();
        Network n = networks().get(ref);
        return new Found(n, n.name(), n.id(), n.driver());
    }

    private void list(Exchange ex) {
        JsonNode filters = Filters.parse(ex.query("filters"));
        networks().ensureDefault();
        List<Found> all = new ArrayList<>();
        for (Network n : networks().list()) all.add(new Found(n, n.name(), n.id(), n.driver()));
        all.add(find("host"));
        all.add(find("none"));
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Found f : all) {
            if (!matches(f, filters)) continue;
            out.add(inspect(f));
        }
        ex.json(200, out);
    }

    private static boolean matches(Found f, JsonNode filters) {
        List<String> names = Filters.values(filters, "name");
        if (!names.isEmpty() && names.stream().noneMatch(n -> f.name().contains(n))) return false;
        List<String> ids = Filters.values(filters, "id");
        if (!ids.isEmpty() && ids.stream().noneMatch(i -> f.id().startsWith(i))) return false;
        List<String> drivers = Filters.values(filters, "driver");
        if (!drivers.isEmpty() && !drivers.contains(f.driver())) return false;
        List<String> labels = Filters.values(filters, "label");
        for (String l : labels) {
            Map<String, String> have = f.network() == null ? Map.of() : f.network().labels();
            String[] kv = l.split("=", 2);
            if (!have.containsKey(kv[0]) || kv.length == 2 && !kv[1].equals(have.get(kv[0]))) return false;
        }
        List<String> types = Filters.values(filters, "type");
        boolean builtin = f.network() == null || f.name().equals(Networks.DEFAULT_NETWORK);
        return types.isEmpty() || types.contains(builtin ? "builtin" : "custom");
    }

    private ObjectNode inspect(Found f) {
        ObjectNode o = Json.object();
        o.put("Name", f.name());
        o.put("Id", f.id());
        o.put("Created", f.network() == null || f.network().created() == null ? Json.ZERO_TIME : f.network().created());
        o.put("Scope", "local");
        o.put("Driver", f.driver());
        o.put("EnableIPv6", false);
        ObjectNode ipam = o.putObject("IPAM");
        ipam.put("Driver", "default");
        ipam.putNull("Options");
        ArrayNode config = ipam.putArray("Config");
        if (f.network() != null) {
            ObjectNode c = config.addObject();
            c.put("Subnet", f.network().subnet());
            c.put("Gateway", f.network().gateway());
        }
        o.put("Internal", f.network() != null && f.network().internal());
        o.put("Attachable", false);
        o.put("Ingress", false);
        o.putObject("ConfigFrom").put("Network", "");
        o.put("ConfigOnly", false);
        ObjectNode containers = o.putObject("Containers");
        if (f.network() != null) {
            for (Endpoint e : networks().endpoints(f.name())) {
                ObjectNode c = containers.putObject(e.containerId());
                c.put("Name", e.containerName());
                c.put("EndpointID", e.containerId().substring(0, 32) + f.id().substring(0, 32));
                c.put("MacAddress", e.mac() == null ? "" : e.mac());
                c.put("IPv4Address", e.ip() + "/" + e.prefixLength());
                c.put("IPv6Address", "");
            }
        }
        ObjectNode options = o.putObject("Options");
        if (f.network() != null && f.name().equals(Networks.DEFAULT_NETWORK)) {
            options.put("com.docker.network.bridge.default_bridge", "true");
            options.put("com.docker.network.bridge.name", f.network().bridge());
        }
        ObjectNode labels = o.putObject("Labels");
        if (f.network() != null && f.network().labels() != null) f.network().labels().forEach(labels::put);
        return o;
    }

    private void create(Exchange ex) {
        JsonNode body = ex.jsonBody();
        String name = body.path("Name").asText("");
        if (name.isEmpty()) throw new EngineException.Invalid("network name is required");
        if (name.equals("host") || name.equals("none")) {
            throw new EngineException.Forbidden("operation is not permitted on predefined " + name + " network ");
        }
        String driver = body.path("Driver").asText("");
        if (!driver.isEmpty() && !driver.equals("bridge")) {
            throw new EngineException.Invalid("plugin \"" + driver + "\" not found: berth has the bridge driver only");
        }
        String subnet = null, gateway = null;
        for (JsonNode c : body.path("IPAM").path("Config")) {
            subnet = emptyToNull(c.path("Subnet").asText(""));
            gateway = emptyToNull(c.path("Gateway").asText(""));
        }
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        body.path("Labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        Network n = networks().create(name, subnet, gateway, body.path("Internal").asBoolean(false), labels);
        events.publish("network", "create", n.id(), Map.of("name", n.name(), "type", "bridge"));
        ObjectNode o = Json.object();
        o.put("Id", n.id());
        o.put("Warning", "");
        ex.json(201, o);
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    private void remove(Exchange ex) {
        Found f = find(ex.param("id"));
        if (f.network() == null || f.name().equals(Networks.DEFAULT_NETWORK)) {
            throw new EngineException.Forbidden(f.name() + " is a pre-defined network and cannot be removed");
        }
        networks().remove(f.id());
        events.publish("network", "destroy", f.id(), Map.of("name", f.name(), "type", "bridge"));
        ex.status(204);
    }

    private void connect(Exchange ex) {
        Found f = find(ex.param("id"));
        if (f.network() == null) throw new EngineException.Forbidden("container cannot be connected to the " + f.name() + " network");
        JsonNode body = ex.jsonBody();
        Container c = store.get(body.path("Container").asText(""));
        synchronized (c) {
            JsonNode ec = body.get("EndpointConfig");
            networking.connect(c, f.network(), ec instanceof ObjectNode o ? o : null);
            store.save(c);
        }
        events.publish("network", "connect", f.id(), Map.of("name", f.name(), "type", "bridge", "container", c.id));
        ex.status(200);
    }

    private void disconnect(Exchange ex) {
        Found f = find(ex.param("id"));
        if (f.network() == null) throw new EngineException.Forbidden("container cannot be disconnected from the " + f.name() + " network");
        JsonNode body = ex.jsonBody();
        Container c = store.get(body.path("Container").asText(""));
        synchronized (c) {
            networking.disconnect(c, f.network());
            store.save(c);
        }
        events.publish("network", "disconnect", f.id(), Map.of("name", f.name(), "type", "bridge", "container", c.id));
        ex.status(200);
    }

    private void prune(Exchange ex) {
        ObjectNode o = Json.object();
        ArrayNode deleted = o.putArray("NetworksDeleted");
        for (Network n : networks().list()) {
            if (n.name().equals(Networks.DEFAULT_NETWORK) || !networks().endpoints(n.name()).isEmpty()) continue;
            boolean wanted = store.all().stream().anyMatch(c -> c.endpointsConfig != null && c.endpointsConfig.has(n.name())
                    || ContainerNetworking.mode(c).equals(n.name()));
            if (wanted) continue;
            networks().remove(n.id());
            deleted.add(n.name());
            events.publish("network", "destroy", n.id(), Map.of("name", n.name(), "type", "bridge"));
        }
        ex.json(200, o);
    }
}
