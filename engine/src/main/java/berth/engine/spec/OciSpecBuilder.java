package berth.engine.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the OCI runtime spec (config.json) for a container, with Docker's defaults, as dockerd's
 * {@code createSpec} does: Docker's 14 capabilities, default mounts, masked and read-only paths, device rules,
 * seccomp profile, resources, rlimits, sysctls and namespaces, changed by what the create request asks for.
 */
public final class OciSpecBuilder {
    public static final String OCI_VERSION = "1.0.2";

    private OciSpecBuilder() {}

    /**
     * The config.json for {@code in}.
     *
     * @throws IllegalArgumentException with Docker's message when the request cannot be run as asked, e.g.
     *                                  "no command specified" or "unable to find user foo: ..."
     */
    public static ObjectNode build(SpecInputs in) {
        CreateRequest request = in.request();
        HostSettings h = request.host();
        ObjectNode config = ImageDefaults.merge(request.config(), in.image());

        boolean privatePid = h.pidMode().isEmpty();
        boolean init = h.init() && privatePid;
        if (init && in.host().initBinary() == null) {
            throw new IllegalArgumentException("--init needs an init binary, and this host has none (Debian's tini package provides "
                    + HostInfo.DEFAULT_INIT + ")");
        }
        List<String> args = new ArrayList<>();
        if (init) args.addAll(List.of(SpecMounts.INIT_PATH, "--"));
        args.addAll(ImageDefaults.command(config));

        Users.ResolvedUser user = Users.resolve(in.rootfs(), Nodes.text(config, "User"), h.groupAdd());
        List<String> caps = Capabilities.of(h.capAdd(), h.capDrop(), h.privileged(), in.host().allCapabilities());
        SecurityOptions security = SecurityOptions.parse(h.securityOpt());
        boolean hostUts = h.utsMode().equals("host");

        ObjectNode spec = JsonNodeFactory.instance.objectNode();
        spec.put("ociVersion", OCI_VERSION);
        spec.set("process", process(in, config, args, user, caps, security));
        spec.putObject("root").put("path", in.rootfs().toString()).put("readonly", h.readonlyRootfs());
        if (!hostUts) {
            spec.put("hostname", in.hostname());
            if (!request.domainname().isEmpty()) spec.put("domainname", request.domainname());
        }
        List<OciMount> mounts = SpecMounts.of(in.mounts(), h, init ? in.host().initBinary().toString() : null);
        ArrayNode mountsJson = spec.putArray("mounts");
        mounts.forEach(m -> mountsJson.add(m.toJson()));
        spec.set("linux", linux(in, h, caps, security, mounts));
        return spec;
    }

    /**
     * The net.* sysctls for the container's network namespace: with a namespace of its own, Docker's two defaults
     * (ping, and ports below 1024, without capabilities); then the request's. They are in config.json only when
     * the runtime makes the namespace: a daemon that gives a namespace to join ({@link NamespacePaths#network})
     * sets them on it, as the runtime only sets net.* sysctls in a namespace it makes.
     */
    public static Map<String, String> networkSysctls(CreateRequest request) {
        Map<String, String> out = new LinkedHashMap<>();
        String mode = request.host().networkMode();
        if (mode.equals("host")) return out;
        if (HostSettings.containerOf(mode) == null) OciDefaults.NETWORK_SYSCTLS.forEach(e -> out.put(e.getKey(), e.getValue()));
        request.host().sysctls().forEach((k, v) -> {
            if (k.startsWith("net.")) out.put(k, v);
        });
        return out;
    }

    private static ObjectNode process(SpecInputs in, ObjectNode config, List<String> args, Users.ResolvedUser user,
                                      List<String> caps, SecurityOptions security) {
        CreateRequest request = in.request();
        HostSettings h = request.host();
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("terminal", request.tty());
        List<Long> size = h.consoleSize();
        if (request.tty() && size.size() == 2 && size.get(0) > 0 && size.get(1) > 0) {
            p.putObject("consoleSize").put("height", size.get(0)).put("width", size.get(1));
        }
        ObjectNode u = p.putObject("user").put("uid", user.uid()).put("gid", user.gid());
        user.additionalGids().forEach(u.putArray("additionalGids")::add);
        args.forEach(p.putArray("args")::add);
        Environment.of(Nodes.strings(config, "Env"), in.hostname(), request.tty(), in.linkEnv(), user.home())
                .forEach(p.putArray("env")::add);
        String cwd = Nodes.text(config, "WorkingDir");
        p.put("cwd", cwd.isEmpty() ? "/" : cwd);
        // Like moby's SetCapabilities: a non-root process keeps capabilities only in its bounding set.
        List<String> granted = user.uid() == 0 ? caps : List.of();
        ObjectNode c = p.putObject("capabilities");
        caps.forEach(c.putArray("bounding")::add);
        granted.forEach(c.putArray("effective")::add);
        granted.forEach(c.putArray("permitted")::add);
        c.putArray("inheritable");
        ArrayNode rlimits = p.putArray("rlimits");
        for (HostSettings.Ulimit ul : h.ulimits()) {
            rlimits.addObject().put("type", "RLIMIT_" + ul.name().toUpperCase(Locale.ROOT))
                    .put("soft", ul.soft()).put("hard", ul.hard());
        }
        p.put("noNewPrivileges", security.noNewPrivileges());
        p.put("oomScoreAdj", h.oomScoreAdj());
        return p;
    }

    private static ObjectNode linux(SpecInputs in, HostSettings h, List<String> caps, SecurityOptions security,
                                    List<OciMount> mounts) {
        ObjectNode linux = JsonNodeFactory.instance.objectNode();
        boolean newNetns = namespaces(linux.putArray("namespaces"), h, in.namespaces());

        SpecDevices.Result devices = SpecDevices.of(h, in.host().devices());
        ArrayNode devicesJson = linux.putArray("devices");
        for (HostDevice d : devices.devices()) {
            devicesJson.addObject().put("path", d.path()).put("type", d.type()).put("major", d.major())
                    .put("minor", d.minor()).put("fileMode", d.fileMode()).put("uid", d.uid()).put("gid", d.gid());
        }
        if (in.cgroupsPath() != null) linux.put("cgroupsPath", in.cgroupsPath());
        linux.set("resources", SpecResources.of(h.resources(), devices.rules(), in.host().unifiedCgroups(),
                in.host().devices()));

        ObjectNode sysctl = linux.putObject("sysctl");
        if (newNetns) networkSysctls(in.request()).forEach(sysctl::put);
        h.sysctls().forEach((k, v) -> {
            if (!k.startsWith("net.")) sysctl.put(k, v);
        });

        List<String> masked = h.privileged() ? List.of() : OciDefaults.MASKED_PATHS;
        List<String> readonly = h.privileged() ? List.of() : OciDefaults.READONLY_PATHS;
        if (h.maskedPaths() != null) masked = h.maskedPaths();
        if (h.readonlyPaths() != null) readonly = h.readonlyPaths();
        masked.forEach(linux.putArray("maskedPaths")::add);
        readonly.forEach(linux.putArray("readonlyPaths")::add);

        JsonNode seccomp = SpecSeccomp.of(security, h.privileged(), caps);
        if (seccomp != null) linux.set("seccomp", seccomp);
        String propagation = SpecMounts.rootfsPropagation(mounts);
        if (propagation != null) linux.put("rootfsPropagation", propagation);
        return linux;
    }

    /**
     * Docker's namespaces, less those shared with the host, with paths for those joined.
     *
     * @return whether the runtime makes a new network namespace
     */
    private static boolean namespaces(ArrayNode out, HostSettings h, NamespacePaths paths) {
        boolean newNetns = false;
        for (String type : OciDefaults.NAMESPACES) {
            String mode = switch (type) {
                case "network" -> h.networkMode();
                case "uts" -> h.utsMode();
                case "pid" -> h.pidMode();
                case "ipc" -> h.ipcMode();
                default -> "";
            };
            if (mode.equals("host")) continue;
            String path = switch (type) {
                case "network" -> HostSettings.containerOf(mode) != null ? joined(type, mode, paths.network())
                        : paths.network();
                case "pid" -> joined(type, mode, paths.pid());
                case "ipc" -> joined(type, mode, paths.ipc());
                default -> null;
            };
            ObjectNode ns = out.addObject().put("type", type);
            if (path != null) ns.put("path", path);
            if (type.equals("network")) newNetns = path == null;
        }
        if (h.cgroupnsMode().equals("private")) out.addObject().put("type", "cgroup");
        return newNetns;
    }

    /** The path for a "container:x" mode, which the daemon must give; null (a new namespace) for other modes. */
    private static String joined(String type, String mode, String path) {
        String container = HostSettings.containerOf(mode);
        if (container == null) return null;
        if (path == null) {
            throw new IllegalArgumentException("cannot join the " + type + " namespace of container " + container
                    + ": the daemon gave no namespace path");
        }
        return path;
    }
}
