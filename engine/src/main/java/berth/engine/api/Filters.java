package berth.engine.api;

import berth.engine.EngineException;
import berth.engine.Json;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Docker's {@code filters} query parameter: {@code {"key":{"value":true}}} or {@code {"key":["value"]}}. */
final class Filters {
    private Filters() {}

    static JsonNode parse(String query) {
        if (query == null || query.isBlank()) return Json.object();
        try {
            return Json.MAPPER.readTree(query);
        } catch (Exception e) {
            throw new EngineException.Invalid("invalid filter: " + e.getMessage());
        }
    }

    /** The values given for {@code key}, in either shape. */
    static List<String> values(JsonNode filters, String key) {
        List<String> out = new ArrayList<>();
        JsonNode v = filters.get(key);
        if (v == null) return out;
        if (v.isArray()) {
            v.forEach(x -> out.add(x.asText()));
        } else if (v.isObject()) {
            for (Map.Entry<String, JsonNode> e : v.properties()) if (e.getValue().asBoolean(true)) out.add(e.getKey());
        } else {
            out.add(v.asText());
        }
        return out;
    }

    /** The keys present, for refusing unknown ones. */
    static List<String> keys(JsonNode filters) {
        List<String> out = new ArrayList<>();
        filters.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
