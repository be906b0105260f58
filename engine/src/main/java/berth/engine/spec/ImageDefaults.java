package berth.engine.spec;

import berth.image.ImageConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Merges an image's run config into a container's Config as dockerd's {@code merge} and
 * {@code mergeAndVerifyConfig} do, and derives the command to run from the result.
 */
public final class ImageDefaults {
    private ImageDefaults() {}

    /**
     * A copy of {@code config} completed from {@code image} (null for none): User, WorkingDir, StopSignal and
     * Healthcheck when unset; ExposedPorts, Volumes and Labels added to; Env added to for variables the request
     * does not set; Cmd (and ArgsEscaped) from the image only when the request sets neither Entrypoint nor Cmd;
     * Entrypoint from the image only when the request does not mention it ([] and [""] keep the image's out).
     * An Entrypoint of [""] is then removed.
     *
     * @throws IllegalArgumentException "no command specified" when neither an entrypoint nor a command remains
     */
    public static ObjectNode merge(ObjectNode config, ImageConfig.RunConfig image) {
        ObjectNode c = config.deepCopy();
        if (image != null) {
            if (Nodes.text(c, "User").isEmpty() && image.user() != null) c.put("User", image.user());
            addKeys(c, "ExposedPorts", image.exposedPorts());
            mergeEnv(c, image.env());
            addLabels(c, image.labels());
            boolean noEntrypoint = Nodes.strings(c, "Entrypoint").isEmpty();
            if (noEntrypoint && Nodes.strings(c, "Cmd").isEmpty() && image.cmd() != null) {
                strings(c.putArray("Cmd"), image.cmd());
                if (image.argsEscaped() != null) c.put("ArgsEscaped", image.argsEscaped());
            }
            if (noEntrypoint && !c.has("Entrypoint") && image.entrypoint() != null) {
                strings(c.putArray("Entrypoint"), image.entrypoint());
            }
            if (!c.has("Healthcheck") && image.healthcheck() != null) c.set("Healthcheck", image.healthcheck().deepCopy());
            if (Nodes.text(c, "WorkingDir").isEmpty() && image.workingDir() != null) c.put("WorkingDir", image.workingDir());
            addKeys(c, "Volumes", image.volumes());
            if (Nodes.text(c, "StopSignal").isEmpty() && image.stopSignal() != null) c.put("StopSignal", image.stopSignal());
        }
        List<String> entrypoint = Nodes.strings(c, "Entrypoint");
        if (entrypoint.size() == 1 && entrypoint.getFirst().isEmpty()) c.remove("Entrypoint");
        if (command(c).isEmpty()) throw new IllegalArgumentException("no command specified");
        return c;
    }

    /** The process to run for a merged config: the entrypoint followed by the command. */
    public static List<String> command(JsonNode mergedConfig) {
        List<String> args = new ArrayList<>(Nodes.strings(mergedConfig, "Entrypoint"));
        args.addAll(Nodes.strings(mergedConfig, "Cmd"));
        return args;
    }

    /** Image variables are appended unless the request sets the same name. */
    private static void mergeEnv(ObjectNode c, List<String> imageEnv) {
        if (imageEnv == null || imageEnv.isEmpty()) return;
        List<String> env = new ArrayList<>(Nodes.strings(c, "Env"));
        List<String> requested = List.copyOf(env);
        for (String variable : imageEnv) {
            String name = name(variable);
            if (requested.stream().noneMatch(r -> name(r).equals(name))) env.add(variable);
        }
        strings(c.putArray("Env"), env);
    }

    private static String name(String variable) {
        int eq = variable.indexOf('=');
        return eq < 0 ? variable : variable.substring(0, eq);
    }

    private static void addLabels(ObjectNode c, Map<String, String> imageLabels) {
        ObjectNode labels = c.has("Labels") ? (ObjectNode) c.get("Labels") : c.putObject("Labels");
        if (imageLabels != null) imageLabels.forEach((k, v) -> {
            if (!labels.has(k)) labels.put(k, v);
        });
    }

    private static void addKeys(ObjectNode c, String field, Map<String, Object> imageKeys) {
        if (imageKeys == null || imageKeys.isEmpty()) return;
        ObjectNode set = c.has(field) ? (ObjectNode) c.get(field) : c.putObject(field);
        for (String key : imageKeys.keySet()) {
            String k = field.equals("ExposedPorts") ? Ports.key(key) : key;
            if (!set.has(k)) set.putObject(k);
        }
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
