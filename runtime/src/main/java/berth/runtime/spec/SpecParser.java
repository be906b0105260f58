package berth.runtime.spec;

import berth.runtime.json.Fields;
import berth.runtime.json.InvalidSpecException;
import berth.runtime.seccomp.SeccompSpec;
import berth.runtime.spec.Spec.Capabilities;
import berth.runtime.spec.Spec.ConsoleSize;
import berth.runtime.spec.Spec.Device;
import berth.runtime.spec.Spec.Hook;
import berth.runtime.spec.Spec.Hooks;
import berth.runtime.spec.Spec.IdMapping;
import berth.runtime.spec.Spec.Linux;
import berth.runtime.spec.Spec.Mount;
import berth.runtime.spec.Spec.Namespace;
import berth.runtime.spec.Spec.Rlimit;
import berth.runtime.spec.Spec.Root;
import berth.runtime.spec.Spec.TimeOffset;
import berth.runtime.spec.Spec.User;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads a parsed config.json into a {@link Spec}, rejecting malformed fields with one clear line. */
public final class SpecParser {
    static final Set<String> NAMESPACE_TYPES = Set.of("pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time");

    private SpecParser() {}

    public static Spec parse(Map<String, Object> json) {
        Fields f = new Fields(json, "");
        String version = f.requiredString("ociVersion");
        if (!version.startsWith("1.")) throw f.error("ociVersion", "unsupported version \"" + version + "\" (berth runs 1.x)");
        Fields root = f.object("root");
        if (root == null) throw f.error("root", "is required");
        return new Spec(version,
                f.has("process") ? process(f.object("process")) : null,
                new Root(root.requiredString("path"), root.bool("readonly")),
                f.string("hostname"), f.string("domainname"),
                f.objects("mounts", (m, i) -> mount(m)),
                hooks(f.object("hooks")),
                f.stringMap("annotations"),
                f.has("linux") ? linux(f.object("linux")) : Linux.EMPTY);
    }

    /** Reads a process object on its own, as {@code exec --process} supplies it. */
    public static Spec.Process process(Map<String, Object> json) {
        return process(new Fields(json, "process"));
    }

    private static Spec.Process process(Fields p) {
        List<String> args = p.stringsOrEmpty("args");
        if (args.isEmpty()) throw p.error("args", "must name the program to run");
        String cwd = p.requiredString("cwd");
        if (!cwd.startsWith("/")) throw p.error("cwd", "must be an absolute path, got \"" + cwd + "\"");
        Fields u = p.object("user");
        User user = u == null ? new User(0, 0, null, List.of())
                : new User(u.number("uid", 0), u.number("gid", 0), u.integer("umask"), u.numbers("additionalGids"));
        Fields cs = p.object("consoleSize");
        Fields c = p.object("capabilities");
        Capabilities caps = c == null ? null : new Capabilities(
                caps(c, "bounding"), caps(c, "effective"), caps(c, "inheritable"), caps(c, "permitted"), caps(c, "ambient"));
        List<Rlimit> rlimits = p.objects("rlimits", (r, i) -> {
            String type = r.requiredString("type");
            if (Rlimits.number(type) < 0) throw r.error("type", "unknown rlimit \"" + type + "\"");
            return new Rlimit(type, r.number("soft", 0), r.number("hard", 0));
        });
        return new Spec.Process(p.bool("terminal"),
                cs == null ? null : new ConsoleSize(cs.integer("height") == null ? 0 : cs.integer("height"),
                        cs.integer("width") == null ? 0 : cs.integer("width")),
                user, args, p.stringsOrEmpty("env"), cwd, caps, rlimits, p.bool("noNewPrivileges"), p.integer("oomScoreAdj"));
    }

    private static List<String> caps(Fields c, String set) {
        List<String> names = c.strings(set);
        if (names == null) return null;
        for (int i = 0; i < names.size(); i++) {
            if (Capability.number(names.get(i)) < 0) {
                throw new InvalidSpecException(c.path(set) + "[" + i + "]: unknown capability \"" + names.get(i) + "\"");
            }
        }
        return names;
    }

    private static Mount mount(Fields m) {
        String dst = m.requiredString("destination");
        return new Mount(dst, m.string("type"), m.string("source"), m.stringsOrEmpty("options"));
    }

    private static Hooks hooks(Fields h) {
        if (h == null) return Hooks.NONE;
        return new Hooks(hookList(h, "prestart"), hookList(h, "createRuntime"), hookList(h, "createContainer"),
                hookList(h, "startContainer"), hookList(h, "poststart"), hookList(h, "poststop"));
    }

    private static List<Hook> hookList(Fields h, String key) {
        return h.objects(key, (o, i) -> {
            String path = o.requiredString("path");
            if (!path.startsWith("/")) throw o.error("path", "must be absolute, got \"" + path + "\"");
            Integer timeout = o.integer("timeout");
            if (timeout != null && timeout <= 0) throw o.error("timeout", "must be greater than zero");
            return new Hook(path, o.strings("args") == null ? List.of(path) : o.strings("args"), o.stringsOrEmpty("env"), timeout);
        });
    }

    private static Linux linux(Fields l) {
        List<Namespace> namespaces = l.objects("namespaces", (n, i) -> {
            String type = n.requiredString("type");
            if (!NAMESPACE_TYPES.contains(type)) throw n.error("type", "unknown namespace type \"" + type + "\"");
            String path = n.string("path");
            if (path != null && path.isEmpty()) path = null;
            return new Namespace(type, path);
        });
        List<Device> devices = l.objects("devices", (d, i) -> {
            String type = d.requiredString("type");
            if (!Set.of("c", "b", "u", "p").contains(type)) throw d.error("type", "unknown device type \"" + type + "\"");
            String path = d.requiredString("path");
            if (!path.startsWith("/")) throw d.error("path", "must be absolute");
            if (!type.equals("p") && (!d.has("major") || !d.has("minor"))) throw d.error("major", "major and minor are required");
            return new Device(type, path, d.number("major", 0), d.number("minor", 0), d.integer("fileMode"),
                    d.number("uid"), d.number("gid"));
        });
        Map<String, TimeOffset> offsets = new LinkedHashMap<>();
        Fields to = l.object("timeOffsets");
        if (to != null) {
            for (String clock : List.of("monotonic", "boottime")) {
                Fields o = to.object(clock);
                if (o != null) offsets.put(clock, new TimeOffset(o.number("secs", 0), o.number("nanosecs", 0)));
            }
        }
        SeccompSpec seccomp = null;
        if (l.has("seccomp")) {
            try {
                seccomp = SeccompSpec.fromJson(l.rawObject("seccomp"));
            } catch (IllegalArgumentException e) {
                throw new InvalidSpecException(e.getMessage());
            }
        }
        Map<String, Object> resources = l.rawObject("resources");
        return new Linux(namespaces, idMaps(l, "uidMappings"), idMaps(l, "gidMappings"), devices,
                l.string("cgroupsPath"), resources == null ? Map.of() : resources, l.string("rootfsPropagation"),
                seccomp, l.stringsOrEmpty("maskedPaths"), l.stringsOrEmpty("readonlyPaths"), l.stringMap("sysctl"), offsets);
    }

    private static List<IdMapping> idMaps(Fields l, String key) {
        return l.objects(key, (m, i) -> {
            long size = m.number("size", 0);
            if (size <= 0) throw m.error("size", "must be greater than zero");
            return new IdMapping(m.number("containerID", 0), m.number("hostID", 0), size);
        });
    }
}
