package berth.engine.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The fields of Docker's {@code ContainerCreateRequest} (API v1.44): names, JSON types and nesting. Normalising a
 * body against it does what Go's decoder does for dockerd: field names match case-insensitively and come out in
 * Docker's spelling, explicit nulls and unknown fields are dropped, a string {@code Cmd} becomes a one-element
 * array, and a value of the wrong JSON type is rejected with Go's message.
 */
final class Schema {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** How a field's value is read. */
    enum Kind {
        STRING("string"), BOOL("bool"), INT("int64"), STRINGS("[]string"), STRSLICE("strslice.StrSlice"),
        STRING_MAP("map[string]string"), SET("map[string]struct {}"), INTS("[]uint"), OBJECT(null), OBJECTS(null),
        OBJECT_MAP(null), PORT_MAP("nat.PortMap"), RAW(null);

        final String goType;

        Kind(String goType) {
            this.goType = goType;
        }
    }

    private record Field(String name, Kind kind, Schema nested) {}

    private final String structName;
    private final Map<String, Field> byLowerName = new LinkedHashMap<>();

    private Schema(String structName, Field... fields) {
        this.structName = structName;
        for (Field f : fields) byLowerName.put(f.name().toLowerCase(Locale.ROOT), f);
    }

    private static Field f(String name, Kind kind) {
        return new Field(name, kind, null);
    }

    private static Field obj(String name, Schema nested) {
        return new Field(name, Kind.OBJECT, nested);
    }

    private static Field objs(String name, Schema nested) {
        return new Field(name, Kind.OBJECTS, nested);
    }

    private static final Schema PORT_BINDING = new Schema("PortBinding", f("HostIp", Kind.STRING), f("HostPort", Kind.STRING));
    private static final Schema THROTTLE_DEVICE = new Schema("ThrottleDevice", f("Path", Kind.STRING), f("Rate", Kind.INT));

    private static final Schema MOUNT = new Schema("Mount",
            f("Type", Kind.STRING), f("Source", Kind.STRING), f("Target", Kind.STRING), f("ReadOnly", Kind.BOOL),
            f("Consistency", Kind.STRING),
            obj("BindOptions", new Schema("BindOptions", f("Propagation", Kind.STRING), f("NonRecursive", Kind.BOOL),
                    f("CreateMountpoint", Kind.BOOL))),
            obj("VolumeOptions", new Schema("VolumeOptions", f("NoCopy", Kind.BOOL), f("Labels", Kind.STRING_MAP),
                    obj("DriverConfig", new Schema("Driver", f("Name", Kind.STRING), f("Options", Kind.STRING_MAP))))),
            obj("TmpfsOptions", new Schema("TmpfsOptions", f("SizeBytes", Kind.INT), f("Mode", Kind.INT),
                    f("Options", Kind.RAW))));

    static final Schema HOST_CONFIG = new Schema("HostConfig",
            f("Binds", Kind.STRINGS), f("ContainerIDFile", Kind.STRING),
            obj("LogConfig", new Schema("LogConfig", f("Type", Kind.STRING), f("Config", Kind.STRING_MAP))),
            f("NetworkMode", Kind.STRING), f("PortBindings", Kind.PORT_MAP),
            obj("RestartPolicy", new Schema("RestartPolicy", f("Name", Kind.STRING), f("MaximumRetryCount", Kind.INT))),
            f("AutoRemove", Kind.BOOL), f("VolumeDriver", Kind.STRING), f("VolumesFrom", Kind.STRINGS),
            f("ConsoleSize", Kind.INTS), f("Annotations", Kind.STRING_MAP),
            f("CapAdd", Kind.STRSLICE), f("CapDrop", Kind.STRSLICE), f("CgroupnsMode", Kind.STRING),
            f("Dns", Kind.STRINGS), f("DnsOptions", Kind.STRINGS), f("DnsSearch", Kind.STRINGS),
            f("ExtraHosts", Kind.STRINGS), f("GroupAdd", Kind.STRINGS), f("IpcMode", Kind.STRING),
            f("Cgroup", Kind.STRING), f("Links", Kind.STRINGS), f("OomScoreAdj", Kind.INT), f("PidMode", Kind.STRING),
            f("Privileged", Kind.BOOL), f("PublishAllPorts", Kind.BOOL), f("ReadonlyRootfs", Kind.BOOL),
            f("SecurityOpt", Kind.STRINGS), f("StorageOpt", Kind.STRING_MAP), f("Tmpfs", Kind.STRING_MAP),
            f("UTSMode", Kind.STRING), f("UsernsMode", Kind.STRING), f("ShmSize", Kind.INT),
            f("Sysctls", Kind.STRING_MAP), f("Runtime", Kind.STRING), f("Isolation", Kind.STRING),
            // Resources
            f("CpuShares", Kind.INT), f("Memory", Kind.INT), f("NanoCpus", Kind.INT), f("CgroupParent", Kind.STRING),
            f("BlkioWeight", Kind.INT),
            objs("BlkioWeightDevice", new Schema("WeightDevice", f("Path", Kind.STRING), f("Weight", Kind.INT))),
            objs("BlkioDeviceReadBps", THROTTLE_DEVICE), objs("BlkioDeviceWriteBps", THROTTLE_DEVICE),
            objs("BlkioDeviceReadIOps", THROTTLE_DEVICE), objs("BlkioDeviceWriteIOps", THROTTLE_DEVICE),
            f("CpuPeriod", Kind.INT), f("CpuQuota", Kind.INT), f("CpuRealtimePeriod", Kind.INT),
            f("CpuRealtimeRuntime", Kind.INT), f("CpusetCpus", Kind.STRING), f("CpusetMems", Kind.STRING),
            objs("Devices", new Schema("DeviceMapping", f("PathOnHost", Kind.STRING),
                    f("PathInContainer", Kind.STRING), f("CgroupPermissions", Kind.STRING))),
            f("DeviceCgroupRules", Kind.STRINGS), f("DeviceRequests", Kind.RAW), f("KernelMemory", Kind.INT),
            f("KernelMemoryTCP", Kind.INT), f("MemoryReservation", Kind.INT), f("MemorySwap", Kind.INT),
            f("MemorySwappiness", Kind.INT), f("OomKillDisable", Kind.BOOL), f("PidsLimit", Kind.INT),
            objs("Ulimits", new Schema("Ulimit", f("Name", Kind.STRING), f("Soft", Kind.INT), f("Hard", Kind.INT))),
            f("CpuCount", Kind.INT), f("CpuPercent", Kind.INT), f("IOMaximumIOps", Kind.INT),
            f("IOMaximumBandwidth", Kind.INT),
            // Mounts and the rest
            objs("Mounts", MOUNT), f("MaskedPaths", Kind.STRINGS), f("ReadonlyPaths", Kind.STRINGS),
            f("Init", Kind.BOOL));

    private static final Schema ENDPOINT = new Schema("EndpointSettings",
            obj("IPAMConfig", new Schema("EndpointIPAMConfig", f("IPv4Address", Kind.STRING),
                    f("IPv6Address", Kind.STRING), f("LinkLocalIPs", Kind.STRINGS))),
            f("Links", Kind.STRINGS), f("Aliases", Kind.STRINGS), f("MacAddress", Kind.STRING),
            f("DriverOpts", Kind.STRING_MAP), f("NetworkID", Kind.STRING), f("EndpointID", Kind.STRING),
            f("Gateway", Kind.STRING), f("IPAddress", Kind.STRING), f("IPPrefixLen", Kind.INT),
            f("IPv6Gateway", Kind.STRING), f("GlobalIPv6Address", Kind.STRING), f("GlobalIPv6PrefixLen", Kind.INT),
            f("DNSNames", Kind.STRINGS));

    static final Schema NETWORKING_CONFIG = new Schema("NetworkingConfig",
            new Field("EndpointsConfig", Kind.OBJECT_MAP, ENDPOINT));

    /** Config's fields sit at the top level of the create request, beside HostConfig and NetworkingConfig. */
    static final Schema CREATE_REQUEST = new Schema("Config",
            f("Hostname", Kind.STRING), f("Domainname", Kind.STRING), f("User", Kind.STRING),
            f("AttachStdin", Kind.BOOL), f("AttachStdout", Kind.BOOL), f("AttachStderr", Kind.BOOL),
            f("ExposedPorts", Kind.SET), f("Tty", Kind.BOOL), f("OpenStdin", Kind.BOOL), f("StdinOnce", Kind.BOOL),
            f("Env", Kind.STRINGS), f("Cmd", Kind.STRSLICE), f("Healthcheck", Kind.RAW), f("ArgsEscaped", Kind.BOOL),
            f("Image", Kind.STRING), f("Volumes", Kind.SET), f("WorkingDir", Kind.STRING),
            f("Entrypoint", Kind.STRSLICE), f("NetworkDisabled", Kind.BOOL), f("MacAddress", Kind.STRING),
            f("OnBuild", Kind.STRINGS), f("Labels", Kind.STRING_MAP), f("StopSignal", Kind.STRING),
            f("StopTimeout", Kind.INT), f("Shell", Kind.STRSLICE),
            obj("HostConfig", HOST_CONFIG), obj("NetworkingConfig", NETWORKING_CONFIG));

    /** A normalised copy of {@code in}, which must be a JSON object. */
    ObjectNode normalise(JsonNode in) {
        if (!in.isObject()) throw mismatch(in, structName, "container." + structName);
        ObjectNode out = JSON.objectNode();
        for (Map.Entry<String, JsonNode> e : in.properties()) {
            Field f = byLowerName.get(e.getKey().toLowerCase(Locale.ROOT));
            if (f != null && !e.getValue().isNull()) out.set(f.name(), convert(f, e.getValue()));
        }
        return out;
    }

    private JsonNode convert(Field f, JsonNode v) {
        String where = structName + "." + f.name();
        return switch (f.kind()) {
            case STRING -> require(v.isTextual(), v, where, f.kind().goType);
            case BOOL -> require(v.isBoolean(), v, where, f.kind().goType);
            case INT -> require(v.isIntegralNumber() && v.canConvertToLong(), v, where, f.kind().goType);
            case STRINGS -> strings(v, where, f.kind().goType);
            case STRSLICE -> v.isTextual() ? JSON.arrayNode().add(v.textValue()) : strings(v, where, f.kind().goType);
            case STRING_MAP -> stringMap(v, where);
            case SET -> set(v, where);
            case INTS -> ints(v, where);
            case OBJECT -> f.nested().normalise(v);
            case OBJECTS -> objects(v, f.nested(), where);
            case OBJECT_MAP -> objectMap(v, f.nested(), where);
            case PORT_MAP -> portMap(v, where);
            case RAW -> v.deepCopy();
        };
    }

    private static JsonNode require(boolean ok, JsonNode v, String where, String goType) {
        if (!ok) throw mismatch(v, where, goType);
        return v.deepCopy();
    }

    private static ArrayNode strings(JsonNode v, String where, String goType) {
        if (!v.isArray()) throw mismatch(v, where, goType);
        ArrayNode out = JSON.arrayNode();
        for (JsonNode e : v) {
            if (!e.isTextual() && !e.isNull()) throw mismatch(e, where, "string");
            out.add(e.isNull() ? "" : e.textValue());
        }
        return out;
    }

    private static ArrayNode ints(JsonNode v, String where) {
        if (!v.isArray()) throw mismatch(v, where, Kind.INTS.goType);
        ArrayNode out = JSON.arrayNode();
        for (JsonNode e : v) {
            if (!e.isIntegralNumber() || !e.canConvertToLong()) throw mismatch(e, where, "uint");
            out.add(e.longValue());
        }
        return out;
    }

    private static ObjectNode stringMap(JsonNode v, String where) {
        if (!v.isObject()) throw mismatch(v, where, Kind.STRING_MAP.goType);
        ObjectNode out = JSON.objectNode();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            JsonNode value = e.getValue();
            if (!value.isTextual() && !value.isNull()) throw mismatch(value, where, "string");
            out.put(e.getKey(), value.isNull() ? "" : value.textValue());
        }
        return out;
    }

    private static ObjectNode set(JsonNode v, String where) {
        if (!v.isObject()) throw mismatch(v, where, Kind.SET.goType);
        ObjectNode out = JSON.objectNode();
        for (Map.Entry<String, JsonNode> e : v.properties()) out.set(e.getKey(), JSON.objectNode());
        return out;
    }

    private static ArrayNode objects(JsonNode v, Schema nested, String where) {
        if (!v.isArray()) throw mismatch(v, where, "[]" + nested.structName);
        ArrayNode out = JSON.arrayNode();
        for (JsonNode e : v) {
            if (!e.isNull()) out.add(nested.normalise(e));
        }
        return out;
    }

    private static ObjectNode objectMap(JsonNode v, Schema nested, String where) {
        if (!v.isObject()) throw mismatch(v, where, "map[string]*" + nested.structName);
        ObjectNode out = JSON.objectNode();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            out.set(e.getKey(), e.getValue().isNull() ? JSON.objectNode() : nested.normalise(e.getValue()));
        }
        return out;
    }

    private static ObjectNode portMap(JsonNode v, String where) {
        if (!v.isObject()) throw mismatch(v, where, Kind.PORT_MAP.goType);
        ObjectNode out = JSON.objectNode();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            JsonNode bindings = e.getValue();
            out.set(e.getKey(), bindings.isNull() ? JSON.arrayNode() : objects(bindings, PORT_BINDING, where));
        }
        return out;
    }

    private static IllegalArgumentException mismatch(JsonNode v, String where, String goType) {
        String kind = switch (v.getNodeType()) {
            case STRING -> "string";
            case NUMBER -> goType.contains("int") ? "number " + v.asText() : "number";
            case BOOLEAN -> "bool";
            case ARRAY -> "array";
            case OBJECT -> "object";
            default -> v.getNodeType().name().toLowerCase(Locale.ROOT);
        };
        return new IllegalArgumentException("json: cannot unmarshal " + kind + " into Go struct field " + where
                + " of type " + goType);
    }
}
