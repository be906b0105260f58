package berth.engine.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads fields of a node that {@link Schema} has normalised, so types are already known to be right. */
final class Nodes {
    private Nodes() {}

    /** The string, or "" when absent (Go's zero value). */
    static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null ? "" : v.textValue();
    }

    static boolean bool(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v != null && v.booleanValue();
    }

    /** The boolean, or null when absent (Go's *bool). */
    static Boolean optionalBool(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null ? null : v.booleanValue();
    }

    static long number(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null ? 0 : v.longValue();
    }

    /** The number, or null when absent (Go's *int64). */
    static Long optionalNumber(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null ? null : v.longValue();
    }

    /** The strings, or an empty list when absent. */
    static List<String> strings(JsonNode o, String field) {
        List<String> out = optionalStrings(o, field);
        return out == null ? List.of() : out;
    }

    /** The strings, or null when absent (a nil slice, which Docker tells apart from an empty one). */
    static List<String> optionalStrings(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null) return null;
        List<String> out = new ArrayList<>();
        v.forEach(e -> out.add(e.textValue()));
        return List.copyOf(out);
    }

    static Map<String, String> stringMap(JsonNode o, String field) {
        JsonNode v = o.get(field);
        Map<String, String> out = new LinkedHashMap<>();
        if (v != null) v.properties().forEach(e -> out.put(e.getKey(), e.getValue().textValue()));
        return out;
    }

    static Set<String> keys(JsonNode o, String field) {
        JsonNode v = o.get(field);
        Set<String> out = new LinkedHashSet<>();
        if (v != null) v.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** The nested object, or a missing node (whose fields all read as absent) when absent. */
    static JsonNode object(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null ? MissingNode.getInstance() : v;
    }

    static List<JsonNode> objects(JsonNode o, String field) {
        JsonNode v = o.get(field);
        List<JsonNode> out = new ArrayList<>();
        if (v != null) v.forEach(out::add);
        return out;
    }
}
