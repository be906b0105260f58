package berth.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * An image configuration (OCI image config, which Docker's container image v1 JSON extends): how to run
 * the image and the diff IDs of its layers. Fields berth does not model are kept in the stored bytes.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ImageConfig(String created, String author, String architecture, String os, String variant,
                          RunConfig config, RootFs rootfs, List<History> history) {

    /** The defaults for containers made from the image (Docker's capitalised field names). */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record RunConfig(@JsonProperty("User") String user,
                            @JsonProperty("ExposedPorts") Map<String, Object> exposedPorts,
                            @JsonProperty("Env") List<String> env,
                            @JsonProperty("Entrypoint") List<String> entrypoint,
                            @JsonProperty("Cmd") List<String> cmd,
                            @JsonProperty("Volumes") Map<String, Object> volumes,
                            @JsonProperty("WorkingDir") String workingDir,
                            @JsonProperty("Labels") Map<String, String> labels,
                            @JsonProperty("StopSignal") String stopSignal,
                            @JsonProperty("Healthcheck") JsonNode healthcheck,
                            @JsonProperty("OnBuild") List<String> onBuild,
                            @JsonProperty("Shell") List<String> shell,
                            @JsonProperty("ArgsEscaped") Boolean argsEscaped) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record RootFs(String type, @JsonProperty("diff_ids") List<Digest> diffIds) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record History(String created, @JsonProperty("created_by") String createdBy, String author,
                          String comment, @JsonProperty("empty_layer") Boolean emptyLayer) {}

    public List<Digest> diffIds() {
        return rootfs == null || rootfs.diffIds() == null ? List.of() : rootfs.diffIds();
    }

    public Platform platform() {
        return new Platform(architecture, os, variant, null);
    }
}
