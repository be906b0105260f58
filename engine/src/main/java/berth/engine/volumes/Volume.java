package berth.engine.volumes;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A volume as {@code GET /volumes/{name}} and {@code GET /volumes} return it (serialise it with Jackson).
 *
 * @param mountpoint the volume's data directory on the host, {@code <volumes>/<name>/_data}
 * @param createdAt  RFC 3339, whole seconds, UTC
 * @param labels     never null
 * @param options    the driver options it was created with ({@code type}, {@code device}, {@code o}); never null
 * @param usageData  only where asked for ({@link Volumes#withUsage}, for {@code GET /system/df}); else null and
 *                   left out of the JSON
 */
public record Volume(
        @JsonProperty("Name") String name,
        @JsonProperty("Driver") String driver,
        @JsonProperty("Mountpoint") String mountpoint,
        @JsonProperty("CreatedAt") String createdAt,
        @JsonProperty("Labels") Map<String, String> labels,
        @JsonProperty("Scope") String scope,
        @JsonProperty("Options") Map<String, String> options,
        @JsonProperty("UsageData") @JsonInclude(JsonInclude.Include.NON_NULL) UsageData usageData) {

    /** The one driver berth has. */
    public static final String LOCAL = "local";
    /** The label Docker (23.0 and later) puts on volumes created without a name; prune removes only those by default. */
    public static final String ANONYMOUS_LABEL = "com.docker.volume.anonymous";

    public Volume {
        labels = Map.copyOf(labels);
        options = Map.copyOf(options);
    }

    /**
     * How much a volume holds and how many containers use it.
     *
     * @param size bytes of the files in it (each hard-linked file once), -1 if not known (a volume mounted from
     *             elsewhere)
     */
    public record UsageData(@JsonProperty("Size") long size, @JsonProperty("RefCount") long refCount) {}

    @JsonIgnore
    public boolean isAnonymous() {
        return labels.containsKey(ANONYMOUS_LABEL);
    }

    /** Whether the volume is mounted from somewhere ({@code type} or {@code device} given) rather than a plain directory. */
    public boolean needsMount() {
        return !options.getOrDefault("type", "").isEmpty() || !options.getOrDefault("device", "").isEmpty();
    }
}
