package berth.engine.api;

import berth.engine.Container;
import berth.engine.ContainerNetworking;
import berth.engine.ContainerStore;
import berth.engine.EngineException;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Set;

/** {@code docker ps --filter}: the filters of {@code GET /containers/json} and container prune. */
final class ContainerFilters {
    private static final Set<String> KNOWN = Set.of("id", "name", "status", "label", "ancestor", "exited", "network",
            "volume", "before", "since", "until", "health", "is-task", "publish", "expose");

    private ContainerFilters() {}

    static boolean matches(Container c, JsonNode filters, ContainerStore store) {
        for (String k : Filters.keys(filters)) {
            if (!KNOWN.contains(k)) throw new EngineException.Invalid("invalid filter '" + k + "'");
        }
        if (!any(Filters.values(filters, "id"), v -> c.id.startsWith(v))) return false;
        if (!any(Filters.values(filters, "name"), v -> c.name.matches(".*" + v.replaceFirst("^/", "") + ".*"))) return false;
        if (!any(Filters.values(filters, "status"), v -> v.equals(c.state.status))) return false;
        if (!any(Filters.values(filters, "exited"), v -> !c.state.running() && c.hasBeenStarted
                && String.valueOf(c.state.exitCode).equals(v))) return false;
        if (!any(Filters.values(filters, "ancestor"), v -> v.equals(c.imageName) || c.image.startsWith(v)
                || c.image.substring(7).startsWith(v))) return false;
        if (!any(Filters.values(filters, "network"), v -> ContainerNetworking.mode(c).equals(v) || c.networks.containsKey(v))) return false;
        if (!any(Filters.values(filters, "volume"), v -> c.mounts.stream().anyMatch(m -> v.equals(m.name()) || v.equals(m.destination())))) return false;
        for (String l : Filters.values(filters, "label")) {
            String[] kv = l.split("=", 2);
            JsonNode have = c.config.path("Labels").get(kv[0]);
            if (have == null || kv.length == 2 && !kv[1].equals(have.asText())) return false;
        }
        for (String b : Filters.values(filters, "before")) {
            Container ref = store.get(b);
            if (c.created.compareTo(ref.created) >= 0) return false;
        }
        for (String s : Filters.values(filters, "since")) {
            Container ref = store.get(s);
            if (c.created.compareTo(ref.created) <= 0) return false;
        }
        return true;
    }

    private static boolean any(List<String> values, java.util.function.Predicate<String> test) {
        return values.isEmpty() || values.stream().anyMatch(test);
    }
}
