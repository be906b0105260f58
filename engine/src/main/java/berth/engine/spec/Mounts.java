package berth.engine.spec;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads every mount a create request asks for into one list of {@link MountRequest}s, with dockerd's rules
 * ({@code volume/mounts/linux_parser.go} and {@code registerMountPoints}): Binds strings
 * ({@code /host:/ctr[:opts]} or {@code name:/ctr[:opts]}), Mounts objects, the Tmpfs map, then anonymous volumes
 * from Config.Volumes and the image, which are skipped where something else is already mounted.
 */
public final class Mounts {
    private static final Set<String> PROPAGATIONS = Set.of("private", "rprivate", "slave", "rslave", "shared", "rshared");
    private static final Set<String> CONSISTENCY = Set.of("consistent", "cached", "delegated");
    private static final Pattern LOCAL_VOLUME_NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$");
    private static final String DEFAULT_PROPAGATION = "rprivate";

    private Mounts() {}

    /**
     * The mounts of {@code request}, plus anonymous volumes for {@code imageVolumes} (the image's Config.Volumes).
     *
     * @throws IllegalArgumentException with dockerd's message, e.g. "invalid volume specification: '...'" or
     *                                  "Duplicate mount point: /x"
     */
    public static List<MountRequest> parse(CreateRequest request, Collection<String> imageVolumes) {
        HostSettings h = request.host();
        Map<String, MountRequest> byTarget = new LinkedHashMap<>();
        Set<String> tmpfsTargets = new LinkedHashSet<>();
        for (String dest : h.tmpfs().keySet()) tmpfsTargets.add(clean(dest));
        for (String raw : h.binds()) {
            MountRequest m = bind(raw, h.volumeDriver());
            if (byTarget.containsKey(m.target()) || tmpfsTargets.contains(m.target())) throw duplicate(m.target());
            byTarget.put(m.target(), m);
        }
        for (JsonNode cfg : h.mounts()) {
            MountRequest m = mount(cfg, h.volumeDriver());
            if (byTarget.containsKey(m.target()) || tmpfsTargets.contains(m.target())) {
                throw duplicate(Nodes.text(cfg, "Target"));
            }
            byTarget.put(m.target(), m);
        }
        for (Map.Entry<String, String> t : h.tmpfs().entrySet()) {
            String dest = t.getKey();
            if (clean(dest).equals("/")) throw targetIsRoot();
            if (!dest.startsWith("/")) throw notAbsolute(dest);
            OciMount.tmpfs(dest, t.getValue());
            boolean readOnly = List.of(t.getValue().split(",")).contains("ro");
            byTarget.put(clean(dest), new MountRequest(MountRequest.Type.TMPFS, null, clean(dest), readOnly, "", true,
                    false, false, t.getValue(), Map.of(), ""));
        }
        Set<String> anonymous = new LinkedHashSet<>(request.volumes());
        anonymous.addAll(imageVolumes);
        for (String volume : anonymous) {
            if (!volume.startsWith("/")) throw notAbsolute(volume);
            String dest = clean(volume);
            if (dest.equals("/")) throw targetIsRoot();
            byTarget.putIfAbsent(dest, new MountRequest(MountRequest.Type.VOLUME, null, dest, false, "", true, false,
                    false, "", Map.of(), ""));
        }
        return List.copyOf(byTarget.values());
    }

    /** moby's ParseMountRaw. */
    private static MountRequest bind(String raw, String volumeDriver) {
        String[] arr = raw.split(":", 4);
        if (arr[0].isEmpty()) throw invalidSpec(raw);
        String source = "", target, mode = "";
        switch (arr.length) {
            case 1 -> target = arr[0];
            case 2 -> {
                if (validMode(arr[1])) throw invalidSpec(raw);
                source = arr[0];
                target = arr[1];
            }
            case 3 -> {
                source = arr[0];
                target = arr[1];
                mode = arr[2];
            }
            default -> throw invalidSpec(raw);
        }
        if (!validMode(mode)) throw new IllegalArgumentException("invalid mode: " + mode);
        List<String> opts = mode.isEmpty() ? List.of() : List.of(mode.split(","));
        boolean isBind = source.startsWith("/");
        String propagation = opts.stream().filter(PROPAGATIONS::contains).findFirst().orElse(null);
        MountRequest m;
        try {
            m = bindSpec(source, target, mode, opts, propagation);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(invalidSpec(raw).getMessage() + ": invalid mount config for type "
                    + GoText.quote(isBind ? "bind" : "volume") + ": " + e.getMessage());
        }
        if (m.type() == MountRequest.Type.VOLUME && !m.anonymous()) checkVolumeName(m.source(), volumeDriver);
        return m;
    }

    private static MountRequest bindSpec(String source, String target, String mode, List<String> opts,
                                         String propagation) {
        boolean isBind = source.startsWith("/");
        checkTarget(target);
        if (isBind) {
            if (opts.contains("nocopy")) throw new IllegalArgumentException("field VolumeOptions must not be specified");
            return new MountRequest(MountRequest.Type.BIND, clean(source), clean(target), opts.contains("ro"),
                    propagation == null ? DEFAULT_PROPAGATION : propagation, true, false, true, "", Map.of(), mode);
        }
        if (propagation != null) throw new IllegalArgumentException("field BindOptions must not be specified");
        boolean anonymous = source.isEmpty();
        if (anonymous && opts.contains("ro")) {
            throw new IllegalArgumentException("must not set ReadOnly mode when using anonymous volumes");
        }
        return new MountRequest(MountRequest.Type.VOLUME, anonymous ? null : source, clean(target),
                opts.contains("ro"), "", true, opts.contains("nocopy"), false, "", Map.of(), mode);
    }

    /** moby's ParseMountSpec, which also checks that a bind's source exists. */
    private static MountRequest mount(JsonNode cfg, String volumeDriver) {
        String type = Nodes.text(cfg, "Type");
        MountRequest m;
        try {
            m = mountSpec(cfg, type);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid mount config for type " + GoText.quote(type) + ": " + e.getMessage());
        }
        if (m.type() == MountRequest.Type.VOLUME && !m.anonymous()) checkVolumeName(m.source(), volumeDriver);
        return m;
    }

    private static MountRequest mountSpec(JsonNode cfg, String type) {
        String source = Nodes.text(cfg, "Source"), target = Nodes.text(cfg, "Target");
        boolean readOnly = Nodes.bool(cfg, "ReadOnly");
        JsonNode bindOptions = cfg.get("BindOptions"), volumeOptions = cfg.get("VolumeOptions");
        checkTarget(target);
        return switch (type) {
            case "bind" -> {
                if (source.isEmpty()) throw new IllegalArgumentException("field Source must not be empty");
                String propagation = bindOptions == null ? "" : Nodes.text(bindOptions, "Propagation");
                if (!propagation.isEmpty() && !PROPAGATIONS.contains(propagation)) {
                    throw new IllegalArgumentException("invalid propagation mode: " + propagation);
                }
                if (volumeOptions != null) throw new IllegalArgumentException("field VolumeOptions must not be specified");
                if (!source.startsWith("/")) throw notAbsolute(source);
                boolean create = bindOptions != null && Nodes.bool(bindOptions, "CreateMountpoint");
                if (!create && !Files.exists(Path.of(source))) {
                    throw new IllegalArgumentException("bind source path does not exist: " + source);
                }
                boolean recursive = bindOptions == null || !Nodes.bool(bindOptions, "NonRecursive");
                yield new MountRequest(MountRequest.Type.BIND, clean(source), clean(target), readOnly,
                        propagation.isEmpty() ? DEFAULT_PROPAGATION : propagation, recursive, false, create, "",
                        Map.of(), "");
            }
            case "volume" -> {
                if (bindOptions != null) throw new IllegalArgumentException("field BindOptions must not be specified");
                boolean anonymous = source.isEmpty();
                if (readOnly && anonymous) {
                    throw new IllegalArgumentException("must not set ReadOnly mode when using anonymous volumes");
                }
                JsonNode vo = Nodes.object(cfg, "VolumeOptions");
                yield new MountRequest(MountRequest.Type.VOLUME, anonymous ? null : source, clean(target), readOnly,
                        "", true, Nodes.bool(vo, "NoCopy"), false, "", Nodes.stringMap(vo, "Labels"), "");
            }
            case "tmpfs" -> {
                if (bindOptions != null) throw new IllegalArgumentException("field BindOptions must not be specified");
                if (!source.isEmpty()) throw new IllegalArgumentException("field Source must not be specified");
                String data = tmpfsData(Nodes.object(cfg, "TmpfsOptions"), readOnly);
                yield new MountRequest(MountRequest.Type.TMPFS, null, clean(target), readOnly, "", true, false,
                        false, data, Map.of(), "");
            }
            default -> throw new IllegalArgumentException("mount type unknown");
        };
    }

    /** moby's ConvertTmpfsOptions: "ro", "mode=&lt;octal&gt;", "size=&lt;n&gt;[kmg]", then exec/noexec options. */
    private static String tmpfsData(JsonNode opts, boolean readOnly) {
        List<String> raw = new ArrayList<>();
        if (readOnly) raw.add("ro");
        long mode = Nodes.number(opts, "Mode");
        if (mode != 0) raw.add("mode=" + Long.toOctalString(mode));
        long size = Nodes.number(opts, "SizeBytes");
        if (size != 0) {
            String suffix = "";
            for (String unit : List.of("g", "m", "k")) {
                int shift = unit.equals("g") ? 30 : unit.equals("m") ? 20 : 10;
                if (size % (1L << shift) == 0) {
                    size >>= shift;
                    suffix = unit;
                    break;
                }
            }
            raw.add("size=" + size + suffix);
        }
        JsonNode options = opts.get("Options");
        if (options != null) {
            for (JsonNode opt : options) {
                if (!opt.isArray() || opt.isEmpty() || opt.size() > 2) throw new IllegalArgumentException("invalid option array length");
                String name = opt.get(0).asText();
                if (!name.equals("exec") && !name.equals("noexec")) throw new IllegalArgumentException("invalid option: " + name);
                raw.add(opt.size() == 1 ? name : name + "=" + opt.get(1).asText());
            }
        }
        return String.join(",", raw);
    }

    private static void checkTarget(String target) {
        if (target.isEmpty()) throw new IllegalArgumentException("field Target must not be empty");
        if (clean(target).equals("/")) throw targetIsRoot();
        if (!target.startsWith("/")) throw notAbsolute(target);
    }

    /** The local volume driver's rule for names; other drivers choose their own. */
    private static void checkVolumeName(String name, String driver) {
        if (!driver.isEmpty() && !driver.equals("local")) return;
        if (name.length() == 1) {
            throw new IllegalArgumentException("create " + name
                    + ": volume name is too short, names should be at least two alphanumeric characters");
        }
        if (!LOCAL_VOLUME_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("create " + name + ": " + GoText.quote(name)
                    + " includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed."
                    + " If you intended to pass a host directory, use absolute path");
        }
    }

    /** linuxValidMountMode: known options, at most one of each kind. */
    private static boolean validMode(String mode) {
        if (mode.isEmpty()) return true;
        int rw = 0, label = 0, propagation = 0, copy = 0, consistency = 0;
        for (String o : mode.split(",", -1)) {
            if (o.equals("rw") || o.equals("ro")) rw++;
            else if (o.equals("z") || o.equals("Z")) label++;
            else if (PROPAGATIONS.contains(o)) propagation++;
            else if (o.equals("nocopy")) copy++;
            else if (CONSISTENCY.contains(o)) consistency++;
            else return false;
        }
        return rw <= 1 && label <= 1 && propagation <= 1 && copy <= 1 && consistency <= 1;
    }

    static String clean(String path) {
        return Path.of(path).normalize().toString();
    }

    private static IllegalArgumentException invalidSpec(String raw) {
        return new IllegalArgumentException("invalid volume specification: '" + raw + "'");
    }

    private static IllegalArgumentException targetIsRoot() {
        return new IllegalArgumentException("invalid specification: destination can't be '/'");
    }

    private static IllegalArgumentException notAbsolute(String path) {
        return new IllegalArgumentException("invalid mount path: '" + path + "' mount path must be absolute");
    }

    private static IllegalArgumentException duplicate(String target) {
        return new IllegalArgumentException("Duplicate mount point: " + target);
    }
}
