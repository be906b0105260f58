package berth.network.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A network configuration list (CNI spec, "Configuration format"): the network's name, the spec version
 * its plugins speak, and the plugins' own configurations in execution order. The plugin objects are kept as
 * JSON so that plugin-specific keys travel untouched; they are copies, and callers get copies.
 */
public record CniConfigList(String cniVersion, String name, boolean disableCheck, List<ObjectNode> plugins) {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.\\-]*");

    public CniConfigList {
        if (cniVersion == null || cniVersion.isBlank()) throw new IllegalArgumentException("CNI configuration list without cniVersion");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid CNI network name \"" + name + "\": letters, digits, '_', '.' and '-'");
        }
        if (plugins == null || plugins.isEmpty()) throw new IllegalArgumentException("network " + name + ": no plugins");
        List<ObjectNode> copies = new ArrayList<>();
        for (ObjectNode p : plugins) {
            if (!p.path("type").isTextual() || p.get("type").asText().isEmpty()) {
                throw new IllegalArgumentException("network " + name + ": a plugin without \"type\"");
            }
            copies.add(p.deepCopy());
        }
        plugins = List.copyOf(copies);
    }

    @Override
    public List<ObjectNode> plugins() {
        return plugins.stream().map(ObjectNode::deepCopy).toList();
    }

    /** The plugin types in execution order, e.g. {@code [bridge, portmap]}. */
    public List<String> types() {
        return plugins.stream().map(p -> p.get("type").asText()).toList();
    }

    /** Parses a {@code .conflist} document. */
    public static CniConfigList parse(byte[] json) {
        JsonNode n = CniJson.tryParse(json);
        if (!(n instanceof ObjectNode o)) throw new IllegalArgumentException("CNI configuration list: not a JSON object");
        if (!(o.get("plugins") instanceof ArrayNode arr)) {
            throw new IllegalArgumentException("CNI configuration list " + o.path("name").asText("?") + ": no \"plugins\" array");
        }
        List<ObjectNode> plugins = new ArrayList<>();
        for (JsonNode p : arr) {
            if (!(p instanceof ObjectNode po)) throw new IllegalArgumentException("CNI configuration list: a plugin is not an object");
            plugins.add(po);
        }
        return new CniConfigList(o.path("cniVersion").asText(null), o.path("name").asText(null),
                o.path("disableCheck").asBoolean(false), plugins);
    }

    /** The {@code .conflist} document. */
    public ObjectNode toJson() {
        ObjectNode o = CniJson.MAPPER.createObjectNode();
        o.put("cniVersion", cniVersion);
        o.put("name", name);
        if (disableCheck) o.put("disableCheck", true);
        ArrayNode arr = o.putArray("plugins");
        plugins.forEach(p -> arr.add(p.deepCopy()));
        return o;
    }

    public byte[] toBytes() {
        return CniJson.bytes(toJson());
    }
}
