package berth.engine.spec;

import berth.image.Reference;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * dockerd's checks of a create request, in its order ({@code verifyContainerSettings}, {@code validateNetMode},
 * {@code verifyPlatformContainerSettings}) and with its messages. The first failure is thrown as an
 * {@link IllegalArgumentException}.
 */
final class CreateValidator {
    private static final Set<String> IPC_SYSCTLS = Set.of("kernel.msgmax", "kernel.msgmnb", "kernel.msgmni",
            "kernel.sem", "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced");
    private static final Set<String> ULIMITS = Set.of("core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue",
            "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack");
    private static final Set<String> JSON_FILE_OPTS = Set.of("max-file", "max-size", "compress", "labels",
            "labels-regex", "env", "env-regex", "tag");
    private static final Pattern IPV4 = Pattern.compile("^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(?!$)|$)){4}$");
    private static final Pattern DEVICE_MODE = Pattern.compile("^[rwm]{0,3}$");

    private CreateValidator() {}

    static void validate(CreateRequest r, HostInfo hostInfo) {
        HostSettings h = r.host();
        config(r);
        restartPolicy(h);
        Mounts.parse(r, List.of());
        for (String extra : h.extraHosts()) extraHost(extra);
        Ports.validate(h.portBindings());
        capabilities(h, hostInfo);
        String isolation = Nodes.text(r.hostConfig(), "Isolation");
        if (!isolation.isEmpty() && !isolation.equals("default")) {
            fail("Invalid isolation: " + GoText.quote(isolation) + " - linux only supports 'default'");
        }
        networkMode(r, h);
        ResourceChecks.validate(h.resources(), hostInfo.cpus());
        namespaceModes(h);
        if (h.shmSize() < 0) fail("SHM size can not be less than 0");
        if (h.oomScoreAdj() < -1000 || h.oomScoreAdj() > 1000) {
            fail("Invalid value " + h.oomScoreAdj() + ", range for oom score adj is [-1000, 1000]");
        }
        SecurityOptions.parse(h.securityOpt());
        ulimits(h);
        sysctls(h);
        logConfig(h.logConfig());
        devices(h);
        for (String dns : h.dns()) {
            if (!isIp(dns)) fail("IP address is not correctly formatted: " + dns);
        }
        for (String link : Nodes.strings(r.hostConfig(), "Links")) {
            if (link.isEmpty()) fail("empty string specified for links");
            if (link.split(":", -1).length > 2) fail("bad format for links: " + link);
        }
    }

    private static void config(CreateRequest r) {
        reference(r.image());
        String wd = r.workingDir();
        if (!wd.isEmpty() && !wd.startsWith("/")) {
            fail("the working directory '" + wd + "' is invalid, it needs to be an absolute path");
        }
        if (!r.stopSignal().isEmpty()) Signals.parse(r.stopSignal());
        for (String env : r.env()) {
            int eq = env.indexOf('=');
            if ((eq < 0 ? env : env.substring(0, eq)).isBlank()) fail("invalid environment variable: " + env);
        }
    }

    private static void reference(String image) {
        if (image.isEmpty()) fail("invalid reference format");
        try {
            Reference.parse(image);
        } catch (IllegalArgumentException e) {
            boolean upper = !image.equals(image.toLowerCase(Locale.ROOT)) && e.getMessage().contains("lowercase");
            fail(upper ? "invalid reference format: repository name must be lowercase" : "invalid reference format");
        }
    }

    private static void restartPolicy(HostSettings h) {
        HostSettings.RestartPolicy p = h.restartPolicy();
        switch (p.name()) {
            case "always", "unless-stopped", "no" -> {
                if (p.maximumRetryCount() != 0) {
                    fail("maximum retry count cannot be used with restart policy '" + p.name() + "'");
                }
            }
            case "on-failure" -> {
                if (p.maximumRetryCount() < 0) fail("maximum retry count cannot be negative");
            }
            case "" -> { }
            default -> fail("invalid restart policy '" + p.name() + "'");
        }
        if (h.autoRemove() && !p.name().isEmpty() && !p.name().equals("no")) {
            fail("Conflicting options: --restart and --rm");
        }
    }

    private static void extraHost(String value) {
        int sep = value.indexOf('=');
        if (sep < 0) sep = value.indexOf(':');
        String host = sep < 0 ? "" : value.substring(0, sep);
        if (sep < 0 || host.isEmpty() || host.contains(":")) fail("bad format for add-host: " + GoText.quote(value));
        String ip = value.substring(sep + 1);
        if (ip.equals("host-gateway")) return;
        if (ip.length() > 2 && ip.startsWith("[") && ip.endsWith("]")) ip = ip.substring(1, ip.length() - 1);
        if (!isIp(ip)) fail("invalid IP address in add-host: " + GoText.quote(ip));
    }

    /** Go's net.ParseIP: dotted-quad IPv4 (no shorthand forms) or IPv6 without a zone. */
    static boolean isIp(String s) {
        if (!s.contains(":")) return IPV4.matcher(s).matches();
        if (s.contains("%")) return false;
        try {
            InetAddress.ofLiteral(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void capabilities(HostSettings h, HostInfo hostInfo) {
        try {
            Capabilities.normalise(h.capAdd(), hostInfo.allCapabilities());
        } catch (IllegalArgumentException e) {
            fail("invalid CapAdd: " + e.getMessage());
        }
        try {
            Capabilities.normalise(h.capDrop(), hostInfo.allCapabilities());
        } catch (IllegalArgumentException e) {
            fail("invalid CapDrop: " + e.getMessage());
        }
    }

    /** runconfig's validateNetMode and validateNetContainerMode. */
    private static void networkMode(CreateRequest r, HostSettings h) {
        String mode = h.networkMode();
        String container = HostSettings.containerOf(mode);
        boolean host = mode.equals("host");
        if (container != null) {
            if (container.isEmpty()) fail("Invalid network mode: invalid container format container:<name|id>");
            if (!r.hostname().isEmpty()) fail("conflicting options: hostname and the network mode");
            if (!h.links().isEmpty()) {
                fail("conflicting options: container type network can't be used with links. This would result in undefined behavior");
            }
            if (!h.dns().isEmpty()) fail("conflicting options: dns and the network mode");
            if (!h.extraHosts().isEmpty()) fail("conflicting options: custom host-to-IP mapping and the network mode");
        }
        if ((container != null || host) && !r.macAddress().isEmpty()) {
            fail("conflicting options: mac-address and the network mode");
        }
        if (container != null && (!h.portBindings().isEmpty() || h.publishAllPorts())) {
            fail("conflicting options: port publishing and the container type network mode");
        }
        if (container != null && !r.exposedPorts().isEmpty()) {
            fail("conflicting options: port exposing and the container type network mode");
        }
        if (h.utsMode().equals("host") && !r.hostname().isEmpty()) fail("conflicting options: hostname and the UTS mode");
        if (host && !h.links().isEmpty()) {
            fail("conflicting options: host type networking can't be used with links. This would result in undefined behavior");
        }
    }

    private static void namespaceModes(HostSettings h) {
        String ipc = h.ipcMode();
        boolean ipcOk = switch (ipc) {
            case "", "host", "private", "shareable", "none" -> true;
            default -> HostSettings.containerOf(ipc) != null && !HostSettings.containerOf(ipc).isEmpty();
        };
        if (!ipcOk) fail("invalid IPC mode: " + ipc);
        String pid = h.pidMode();
        boolean pidOk = pid.isEmpty() || pid.equals("host")
                || (HostSettings.containerOf(pid) != null && !HostSettings.containerOf(pid).isEmpty());
        if (!pidOk) fail("invalid PID mode: " + pid);
        if (!h.utsMode().isEmpty() && !h.utsMode().equals("host")) fail("invalid UTS mode: " + h.utsMode());
        String cgroupns = h.cgroupnsMode();
        if (!cgroupns.isEmpty() && !cgroupns.equals("private") && !cgroupns.equals("host")) {
            fail("invalid cgroup namespace mode: " + cgroupns);
        }
    }

    private static void ulimits(HostSettings h) {
        for (HostSettings.Ulimit u : h.ulimits()) {
            if (!ULIMITS.contains(u.name())) fail("invalid ulimit type: " + u.name());
            if (u.soft() > u.hard()) {
                fail("ulimit soft limit must be less than or equal to hard limit: " + u.soft() + " > " + u.hard());
            }
        }
    }

    /** runc's rules: only namespaced sysctls, and only when the container has its own namespace of that kind. */
    private static void sysctls(HostSettings h) {
        for (String key : h.sysctls().keySet()) {
            String q = GoText.quote(key);
            if (IPC_SYSCTLS.contains(key) || key.startsWith("fs.mqueue.")) {
                if (h.ipcMode().equals("host")) fail("sysctl " + q + " is not allowed in the hosts ipc namespace");
            } else if (key.startsWith("net.")) {
                if (h.networkMode().equals("host")) fail("sysctl " + q + " not allowed in host network namespace");
            } else if (key.equals("kernel.hostname")) {
                fail("sysctl " + q + " is not allowed as it conflicts with the OCI \"hostname\" field");
            } else if (!key.equals("kernel.domainname") || h.utsMode().equals("host")) {
                fail("sysctl " + q + " is not in a separate kernel namespace");
            }
        }
    }

    private static void logConfig(HostSettings.LogConfig log) {
        switch (log.type()) {
            case "", "json-file" -> {
                for (String key : log.config().keySet()) {
                    if (!JSON_FILE_OPTS.contains(key)) fail("unknown log opt '" + key + "' for json-file log driver");
                }
                if (log.config().containsKey("max-size") && log.maxSize() <= 0) fail("max-size must be a positive number");
                String maxFile = log.config().get("max-file");
                if (maxFile != null) {
                    int n;
                    try {
                        n = Integer.parseInt(maxFile);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("strconv.Atoi: parsing " + GoText.quote(maxFile) + ": invalid syntax");
                    }
                    if (n < 1) fail("max-file cannot be less than 1");
                }
            }
            case "none" -> {
                for (String key : log.config().keySet()) fail("unknown log opt '" + key + "' for none log driver");
            }
            default -> fail("logger: no log driver named '" + log.type() + "' is registered");
        }
    }

    private static void devices(HostSettings h) {
        for (HostSettings.DeviceMapping d : h.devices()) {
            if (d.pathOnHost().isEmpty()) fail("invalid device mapping: PathOnHost must not be empty");
            if (!DEVICE_MODE.matcher(d.cgroupPermissions()).matches()) {
                fail("invalid device mode: " + d.cgroupPermissions());
            }
        }
        for (String rule : h.deviceCgroupRules()) SpecDevices.rule(rule);
    }

    static void fail(String message) {
        throw new IllegalArgumentException(message);
    }
}
