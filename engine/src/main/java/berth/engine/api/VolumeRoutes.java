package berth.engine.api;

import berth.engine.ContainerSetup;
import berth.engine.Events;
import berth.engine.Json;
import berth.engine.http.Exchange;
import berth.engine.http.Router;
import berth.engine.volumes.PruneReport;
import berth.engine.volumes.Volume;
import berth.engine.volumes.Volumes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /volumes/...}: the local volume driver. */
final class VolumeRoutes {
    private final ContainerSetup setup;
    private final Events events;

    VolumeRoutes(ContainerSetup setup, Events events) {
        this.setup = setup;
        this.events = events;
    }

    private Volumes volumes() {
        return setup.volumes();
    }

    private List<String> users(String name) {
        return setup.usersOf(name, null);
    }

    void register(Router r) {
        r.on("GET", "/volumes", this::list);
        r.on("POST", "/volumes/create", this::create);
        r.on("POST", "/volumes/prune", this::prune);
        r.on("GET", "/volumes/{name}", ex -> ex.json(200, volumes().withUsage(volumes().get(ex.param("name")), this::users)));
        r.on("DELETE", "/volumes/{name}", ex -> {
            String name = ex.param("name");
            volumes().remove(name, ex.queryBool("force", false), this::users);
            events.publish("volume", "destroy", name, Map.of("driver", "local"));
            ex.status(204);
        });
    }

    private static Map<String, List<String>> filters(Exchange ex) {
        JsonNode f = Filters.parse(ex.query("filters"));
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String k : Filters.keys(f)) out.put(k, Filters.values(f, k));
        return out;
    }

    private void list(Exchange ex) {
        ObjectNode o = Json.object();
        o.set("Volumes", Json.MAPPER.valueToTree(volumes().list(filters(ex), this::users)));
        o.putArray("Warnings");
        ex.json(200, o);
    }

    private void create(Exchange ex) {
        JsonNode body = ex.jsonBody();
        Map<String, String> labels = new LinkedHashMap<>(), opts = new LinkedHashMap<>();
        body.path("Labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        body.path("DriverOpts").properties().forEach(e -> opts.put(e.getKey(), e.getValue().asText()));
        String name = body.path("Name").asText("");
        Volume v = volumes().create(name.isEmpty() ? null : name, body.path("Driver").asText(""), labels, opts);
        events.publish("volume", "create", v.name(), Map.of("driver", "local"));
        ex.json(201, v);
    }

    private void prune(Exchange ex) {
        PruneReport report = volumes().prune(filters(ex), this::users);
        ex.json(200, report);
    }
}
