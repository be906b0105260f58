package berth.cli;

import berth.cli.client.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Locale;

/**
 * A {@code --mount} specification ({@code type=bind,source=/a,target=/b,readonly}, comma-separated keys as
 * the docker CLI's {@code opts.MountOpt} reads them) as an API {@code Mount} object.
 */
final class MountSpec {
    private MountSpec() {}

    static ObjectNode parse(String spec) {
        ObjectNode m = Json.object();
        m.put("Type", "volume");
        ObjectNode bind = null, volume = null, tmpfs = null;
        for (String field : spec.split(",")) {
            int eq = field.indexOf('=');
            String key = (eq < 0 ? field : field.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? null : field.substring(eq + 1);
            switch (key) {
                case "type" -> m.put("Type", need(value, key, spec));
                case "source", "src" -> m.put("Source", need(value, key, spec));
                case "target", "destination", "dst" -> m.put("Target", need(value, key, spec));
                case "readonly", "ro" -> m.put("ReadOnly", value == null || bool(value, key, spec));
                case "consistency" -> m.put("Consistency", need(value, key, spec));
                case "bind-propagation" -> (bind = bind == null ? m.putObject("BindOptions") : bind).put("Propagation", need(value, key, spec));
                case "volume-nocopy" -> (volume = volume == null ? m.putObject("VolumeOptions") : volume).put("NoCopy", value == null || bool(value, key, spec));
                case "volume-driver" -> (volume = volume == null ? m.putObject("VolumeOptions") : volume).withObjectProperty("DriverConfig").put("Name", need(value, key, spec));
                case "volume-label" -> {
                    String kv = need(value, key, spec);
                    int e2 = kv.indexOf('=');
                    (volume = volume == null ? m.putObject("VolumeOptions") : volume).withObjectProperty("Labels")
                            .put(e2 < 0 ? kv : kv.substring(0, e2), e2 < 0 ? "" : kv.substring(e2 + 1));
                }
                case "tmpfs-size" -> (tmpfs = tmpfs == null ? m.putObject("TmpfsOptions") : tmpfs).put("SizeBytes", Units.ramInBytes(need(value, key, spec), "tmpfs-size"));
                case "tmpfs-mode" -> {
                    try {
                        (tmpfs = tmpfs == null ? m.putObject("TmpfsOptions") : tmpfs).put("Mode", Integer.parseInt(need(value, key, spec), 8));
                    } catch (NumberFormatException e) {
                        throw new UsageException("invalid tmpfs-mode in --mount " + spec + ": " + value);
                    }
                }
                default -> throw new UsageException("unexpected key '" + key + "' in '" + spec + "'");
            }
        }
        if (!m.has("Target")) throw new UsageException("target is required in --mount " + spec);
        return m;
    }

    private static String need(String value, String key, String spec) {
        if (value == null) throw new UsageException("invalid field '" + key + "' in --mount " + spec + ": must be a key=value pair");
        return value;
    }

    private static boolean bool(String v, String key, String spec) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "1", "true" -> true;
            case "0", "false" -> false;
            default -> throw new UsageException("invalid value for " + key + " in --mount " + spec + ": " + v);
        };
    }
}
