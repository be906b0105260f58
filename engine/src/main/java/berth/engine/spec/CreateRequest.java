package berth.engine.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated, normalised {@code POST /containers/create} body: {@code Config} (the fields at the top level of the
 * body), {@code HostConfig} and {@code NetworkingConfig} as JSON objects in Docker's field names, without nulls or
 * unknown fields, with dockerd's defaults for the host config applied (ShmSize, IpcMode, RestartPolicy, LogConfig,
 * NetworkMode ...) and the image's defaults not yet merged (see {@link ImageDefaults}). The objects are what
 * {@code docker inspect} shows; treat them as read-only. Typed accessors give the values the daemon acts on;
 * absent fields read as Go's zero values.
 */
public record CreateRequest(ObjectNode config, ObjectNode hostConfig, ObjectNode networkingConfig) {

    /**
     * Normalises and validates a create request body as dockerd does.
     *
     * @throws IllegalArgumentException with dockerd's message when the body is invalid
     */
    public static CreateRequest parse(JsonNode body, HostInfo host) {
        ObjectNode config = Schema.CREATE_REQUEST.normalise(body);
        ObjectNode hostConfig = config.has("HostConfig") ? (ObjectNode) config.remove("HostConfig")
                : JsonNodeFactory.instance.objectNode();
        ObjectNode networking = config.has("NetworkingConfig") ? (ObjectNode) config.remove("NetworkingConfig")
                : JsonNodeFactory.instance.objectNode();
        Ports.normaliseKeys(config, hostConfig);
        CreateRequest request = new CreateRequest(config, hostConfig, networking);
        CreateValidator.validate(request, host);
        HostDefaults.apply(hostConfig, host);
        return request;
    }

    /** The host config's typed view. */
    public HostSettings host() {
        return new HostSettings(hostConfig);
    }

    public String image() {
        return Nodes.text(config, "Image");
    }

    /** The entrypoint, or null when the request leaves it to the image ([] and [""] reset it). */
    public List<String> entrypoint() {
        return Nodes.optionalStrings(config, "Entrypoint");
    }

    /** The command, or null when the request leaves it to the image. */
    public List<String> cmd() {
        return Nodes.optionalStrings(config, "Cmd");
    }

    public List<String> env() {
        return Nodes.strings(config, "Env");
    }

    public String workingDir() {
        return Nodes.text(config, "WorkingDir");
    }

    public String user() {
        return Nodes.text(config, "User");
    }

    public String hostname() {
        return Nodes.text(config, "Hostname");
    }

    public String domainname() {
        return Nodes.text(config, "Domainname");
    }

    public Map<String, String> labels() {
        return Nodes.stringMap(config, "Labels");
    }

    public boolean tty() {
        return Nodes.bool(config, "Tty");
    }

    public boolean openStdin() {
        return Nodes.bool(config, "OpenStdin");
    }

    public boolean stdinOnce() {
        return Nodes.bool(config, "StdinOnce");
    }

    public boolean attachStdin() {
        return Nodes.bool(config, "AttachStdin");
    }

    public boolean attachStdout() {
        return Nodes.bool(config, "AttachStdout");
    }

    public boolean attachStderr() {
        return Nodes.bool(config, "AttachStderr");
    }

    public boolean networkDisabled() {
        return Nodes.bool(config, "NetworkDisabled");
    }

    public String macAddress() {
        return Nodes.text(config, "MacAddress");
    }

    /** Exposed ports as "port/proto" keys, e.g. "80/tcp". */
    public Set<String> exposedPorts() {
        return Nodes.keys(config, "ExposedPorts");
    }

    /** Anonymous volumes: container paths. */
    public Set<String> volumes() {
        return Nodes.keys(config, "Volumes");
    }

    /** The stop signal as given (see {@link Signals#parse}), or "" to use the image's or SIGTERM. */
    public String stopSignal() {
        return Nodes.text(config, "StopSignal");
    }

    /** Seconds to wait after the stop signal, or null for the daemon's default (10). */
    public Long stopTimeout() {
        return Nodes.optionalNumber(config, "StopTimeout");
    }

    /** NetworkingConfig.EndpointsConfig: network name to endpoint settings (Aliases, IPAMConfig, ...). */
    public Map<String, JsonNode> endpoints() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        Nodes.object(networkingConfig, "EndpointsConfig").properties().forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
