package berth.cli;

import berth.cli.client.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The flags of {@code run} and {@code create} and their translation into a create request
 * ({@code Config} fields, {@code HostConfig}, {@code NetworkingConfig}), field by field as the docker CLI's
 * {@code cli/command/container/opts.go} does it.
 */
final class ContainerOptions {
    private ContainerOptions() {}

    private static final Set<String> BUILTIN_NETWORKS = Set.of("default", "bridge", "host", "none");

    /** What {@code run}/{@code create} need besides the request body. */
    record Spec(String image, String name, String platform, String pull, boolean detach, boolean autoRemove,
                boolean tty, boolean attachStdin, boolean attachStdout, boolean attachStderr, ObjectNode body) {}

    static CliFlags flags(boolean run) {
        CliFlags f = new CliFlags().stopAtFirstArgument();
        if (run) {
            f.bool("detach", 'd', "run the container in the background and print its ID")
                    .bool("sig-proxy", '\0', "proxy received signals to the process (default true)");
        }
        return f.bool("interactive", 'i', "keep STDIN open even if not attached")
                .bool("tty", 't', "allocate a pseudo-TTY")
                .bool("rm", '\0', "automatically remove the container when it exits")
                .value("name", '\0', "assign a name to the container")
                .value("env", 'e', "set environment variables")
                .value("env-file", '\0', "read in a file of environment variables")
                .value("workdir", 'w', "working directory inside the container")
                .value("user", 'u', "username or UID (format: <name|uid>[:<group|gid>])")
                .value("entrypoint", '\0', "overwrite the default ENTRYPOINT of the image")
                .value("hostname", 'h', "container host name")
                .value("label", 'l', "set meta data on a container")
                .bool("init", '\0', "run an init inside the container that forwards signals and reaps processes")
                .bool("privileged", '\0', "give extended privileges to this container")
                .value("cap-add", '\0', "add Linux capabilities")
                .value("cap-drop", '\0', "drop Linux capabilities")
                .value("security-opt", '\0', "security options (seccomp=FILE sends the profile's content)")
                .bool("read-only", '\0', "mount the container's root filesystem as read only")
                .value("tmpfs", '\0', "mount a tmpfs directory (PATH[:OPTIONS])")
                .value("ulimit", '\0', "ulimit options (NAME=SOFT[:HARD])")
                .value("restart", '\0', "restart policy: no, always, unless-stopped, on-failure[:N]")
                .value("cpus", '\0', "number of CPUs")
                .value("cpu-period", '\0', "limit CPU CFS period")
                .value("cpu-quota", '\0', "limit CPU CFS quota")
                .value("cpu-shares", 'c', "CPU shares (relative weight)")
                .value("cpuset-cpus", '\0', "CPUs in which to allow execution (0-3, 0,1)")
                .value("memory", 'm', "memory limit")
                .value("memory-swap", '\0', "swap limit equal to memory plus swap: '-1' to enable unlimited swap")
                .value("pids-limit", '\0', "tune container pids limit (-1 for unlimited)")
                .value("blkio-weight", '\0', "block IO (relative weight), between 10 and 1000, or 0 to disable")
                .value("device", '\0', "add a host device to the container (HOST[:CONTAINER[:PERMISSIONS]])")
                .value("volume", 'v', "bind mount a volume ([SOURCE:]TARGET[:OPTIONS])")
                .value("mount", '\0', "attach a filesystem mount to the container (type=...,source=...,target=...)")
                .value("publish", 'p', "publish a container's port(s) to the host ([IP:][HOST:]CONTAINER[/PROTO])")
                .bool("publish-all", 'P', "publish all exposed ports to random ports")
                .value("expose", '\0', "expose a port or a range of ports")
                .value("network", '\0', "connect a container to a network")
                .value("net", '\0', "connect a container to a network (same as --network)")
                .value("network-alias", '\0', "add network-scoped alias for the container")
                .value("ip", '\0', "IPv4 address (e.g., 172.30.100.104)")
                .value("link", '\0', "add link to another container (NAME[:ALIAS])")
                .value("dns", '\0', "set custom DNS servers")
                .value("dns-search", '\0', "set custom DNS search domains")
                .value("dns-option", '\0', "set DNS options")
                .value("add-host", '\0', "add a custom host-to-IP mapping (host:ip)")
                .value("stop-signal", '\0', "signal to stop the container")
                .value("stop-timeout", '\0', "timeout (in seconds) to stop a container")
                .value("platform", '\0', "set platform if server is multi-platform capable")
                .value("pull", '\0', "pull image before running (\"always\", \"missing\", \"never\")")
                .value("attach", 'a', "attach to STDIN, STDOUT or STDERR")
                .value("log-driver", '\0', "logging driver for the container")
                .value("log-opt", '\0', "log driver options")
                .value("shm-size", '\0', "size of /dev/shm")
                .value("ipc", '\0', "IPC mode to use")
                .value("pid", '\0', "PID namespace to use")
                .value("group-add", '\0', "add additional groups to join")
                .value("sysctl", '\0', "sysctl options")
                .value("cgroup-parent", '\0', "optional parent cgroup for the container");
    }

    static Spec parse(CliFlags.Parsed p, boolean run) {
        if (p.args().isEmpty()) throw new UsageException("\"" + (run ? "run" : "create") + "\" requires at least 1 argument");
        String image = p.args().getFirst();
        List<String> cmd = p.args().subList(1, p.args().size());
        boolean detach = run && p.is("detach");
        boolean interactive = p.is("interactive");
        boolean tty = p.is("tty");

        List<String> attach = p.all("attach").stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
        for (String a : attach) {
            if (!Set.of("stdin", "stdout", "stderr").contains(a)) throw new UsageException("valid streams are STDIN, STDOUT and STDERR");
        }
        boolean attachStdin = attach.contains("stdin") || interactive;
        boolean attachStdout = attach.isEmpty() || attach.contains("stdout");
        boolean attachStderr = attach.isEmpty() || attach.contains("stderr");
        if (detach) {
            if (!attach.isEmpty()) throw new UsageException("conflicting options: -a and -d");
            attachStdin = attachStdout = attachStderr = false;
        }
        if (p.is("rm") && p.get("restart") != null && !p.get("restart").equals("no")) {
            throw new UsageException("conflicting options: --restart and --rm");
        }

        ObjectNode body = Json.object();
        putText(body, "Hostname", p.get("hostname"));
        putText(body, "User", p.get("user"));
        body.put("AttachStdin", attachStdin).put("AttachStdout", attachStdout).put("AttachStderr", attachStderr);
        body.put("Tty", tty).put("OpenStdin", interactive).put("StdinOnce", interactive && attachStdin);
        ArrayNode env = body.putArray("Env");
        for (String file : p.all("env-file")) for (String e : envFile(Path.of(file))) env.add(e);
        for (String e : p.all("env")) env.add(envValue(e));
        if (!cmd.isEmpty()) strings(body.putArray("Cmd"), cmd);
        body.put("Image", image);
        putText(body, "WorkingDir", p.get("workdir"));
        if (p.values().containsKey("entrypoint")) {
            body.putArray("Entrypoint").add(p.get("entrypoint"));
        }
        ObjectNode labels = body.putObject("Labels");
        for (String l : p.all("label")) {
            int eq = l.indexOf('=');
            labels.put(eq < 0 ? l : l.substring(0, eq), eq < 0 ? "" : l.substring(eq + 1));
        }
        putText(body, "StopSignal", p.get("stop-signal"));
        if (p.get("stop-timeout") != null) body.put("StopTimeout", integer(p.get("stop-timeout"), "--stop-timeout"));

        ObjectNode host = body.putObject("HostConfig");
        ObjectNode exposed = Json.object();
        ObjectNode bindings = host.putObject("PortBindings");
        for (String e : p.all("expose")) for (String port : PortSpec.expose(e)) exposed.putObject(port);
        for (String spec : p.all("publish")) PortSpec.publish(spec, exposed, bindings);
        if (!exposed.isEmpty()) body.set("ExposedPorts", exposed);
        if (p.is("publish-all")) host.put("PublishAllPorts", true);

        ObjectNode volumes = Json.object();
        ArrayNode binds = host.putArray("Binds");
        for (String v : p.all("volume")) volume(v, volumes, binds);
        if (!volumes.isEmpty()) body.set("Volumes", volumes);
        if (!p.all("mount").isEmpty()) {
            ArrayNode mounts = host.putArray("Mounts");
            for (String m : p.all("mount")) mounts.add(MountSpec.parse(m));
        }
        if (!p.all("tmpfs").isEmpty()) {
            ObjectNode tmpfs = host.putObject("Tmpfs");
            for (String t : p.all("tmpfs")) {
                int colon = t.indexOf(':');
                tmpfs.put(colon < 0 ? t : t.substring(0, colon), colon < 0 ? "" : t.substring(colon + 1));
            }
        }
        resources(p, host);
        if (p.get("restart") != null) host.set("RestartPolicy", restartPolicy(p.get("restart")));
        host.put("AutoRemove", p.is("rm"));
        if (p.is("init")) host.put("Init", true);
        if (p.is("privileged")) host.put("Privileged", true);
        if (p.is("read-only")) host.put("ReadonlyRootfs", true);
        strings(host.putArray("CapAdd"), p.all("cap-add"));
        strings(host.putArray("CapDrop"), p.all("cap-drop"));
        ArrayNode security = host.putArray("SecurityOpt");
        for (String s : p.all("security-opt")) security.add(securityOpt(s));
        strings(host.putArray("Dns"), p.all("dns"));
        strings(host.putArray("DnsSearch"), p.all("dns-search"));
        strings(host.putArray("DnsOptions"), p.all("dns-option"));
        ArrayNode extraHosts = host.putArray("ExtraHosts");
        for (String h : p.all("add-host")) extraHosts.add(addHost(h));
        strings(host.putArray("Links"), p.all("link"));
        strings(host.putArray("GroupAdd"), p.all("group-add"));
        putText(host, "IpcMode", p.get("ipc"));
        putText(host, "PidMode", p.get("pid"));
        putText(host, "CgroupParent", p.get("cgroup-parent"));
        if (p.get("shm-size") != null) host.put("ShmSize", Units.ramInBytes(p.get("shm-size"), "--shm-size"));
        if (!p.all("sysctl").isEmpty()) host.set("Sysctls", keyValues(p.all("sysctl"), "--sysctl"));
        if (p.get("log-driver") != null || !p.all("log-opt").isEmpty()) {
            ObjectNode log = host.putObject("LogConfig");
            log.put("Type", p.get("log-driver", ""));
            log.set("Config", keyValues(p.all("log-opt"), "--log-opt"));
        }
        network(p, body, host);
        return new Spec(image, p.get("name"), p.get("platform"), pull(p.get("pull", "missing")), detach, p.is("rm"),
                tty, attachStdin, attachStdout, attachStderr, body);
    }

    private static String pull(String policy) {
        if (!Set.of("always", "missing", "never").contains(policy)) {
            throw new UsageException("invalid pull option: '" + policy + "': must be one of \"always\", \"missing\" or \"never\"");
        }
        return policy;
    }

    private static void network(CliFlags.Parsed p, ObjectNode body, ObjectNode host) {
        String net = p.get("network") != null ? p.get("network") : p.get("net");
        host.put("NetworkMode", net == null ? "default" : net);
        List<String> aliases = p.all("network-alias");
        String ip = p.get("ip");
        boolean userDefined = net != null && !BUILTIN_NETWORKS.contains(net) && !net.startsWith("container:");
        if (!userDefined) {
            if (!aliases.isEmpty()) throw new UsageException("network-scoped aliases are only supported for user-defined networks");
            if (ip != null) throw new UsageException("user specified IP address is supported only for user-defined networks");
            return;
        }
        ObjectNode endpoint = body.putObject("NetworkingConfig").putObject("EndpointsConfig").putObject(net);
        if (!aliases.isEmpty()) strings(endpoint.putArray("Aliases"), aliases);
        if (ip != null) endpoint.putObject("IPAMConfig").put("IPv4Address", ip);
        if (!p.all("link").isEmpty()) strings(endpoint.putArray("Links"), p.all("link"));
    }

    private static void resources(CliFlags.Parsed p, ObjectNode host) {
        if (p.get("cpus") != null) {
            try {
                host.put("NanoCpus", new BigDecimal(p.get("cpus")).movePointRight(9).longValueExact());
            } catch (NumberFormatException | ArithmeticException e) {
                throw new UsageException("invalid argument \"" + p.get("cpus") + "\" for \"--cpus\" flag: not a number of CPUs");
            }
        }
        if (p.get("cpu-period") != null) host.put("CpuPeriod", integer(p.get("cpu-period"), "--cpu-period"));
        if (p.get("cpu-quota") != null) host.put("CpuQuota", integer(p.get("cpu-quota"), "--cpu-quota"));
        if (p.get("cpu-shares") != null) host.put("CpuShares", integer(p.get("cpu-shares"), "--cpu-shares"));
        putText(host, "CpusetCpus", p.get("cpuset-cpus"));
        if (p.get("memory") != null) host.put("Memory", Units.ramInBytes(p.get("memory"), "--memory"));
        if (p.get("memory-swap") != null) {
            host.put("MemorySwap", p.get("memory-swap").equals("-1") ? -1 : Units.ramInBytes(p.get("memory-swap"), "--memory-swap"));
        }
        if (p.get("pids-limit") != null) host.put("PidsLimit", integer(p.get("pids-limit"), "--pids-limit"));
        if (p.get("blkio-weight") != null) host.put("BlkioWeight", integer(p.get("blkio-weight"), "--blkio-weight"));
        if (!p.all("ulimit").isEmpty()) {
            ArrayNode ulimits = host.putArray("Ulimits");
            for (String u : p.all("ulimit")) ulimits.add(ulimit(u));
        }
        if (!p.all("device").isEmpty()) {
            ArrayNode devices = host.putArray("Devices");
            for (String d : p.all("device")) devices.add(device(d));
        }
    }

    /** The resource fields {@code update} shares with {@code run}. */
    static ObjectNode updateBody(CliFlags.Parsed p) {
        ObjectNode body = Json.object();
        resources(p, body);
        if (p.get("restart") != null) body.set("RestartPolicy", restartPolicy(p.get("restart")));
        return body;
    }

    static long integer(String s, String flag) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            throw new UsageException("invalid argument \"" + s + "\" for \"" + flag + "\" flag: not an integer");
        }
    }

    private static void putText(ObjectNode n, String field, String value) {
        if (value != null) n.put(field, value);
    }

    private static void strings(ArrayNode a, List<String> values) {
        for (String v : values) a.add(v);
    }

    private static ObjectNode keyValues(List<String> kvs, String flag) {
        ObjectNode o = Json.object();
        for (String kv : kvs) {
            int eq = kv.indexOf('=');
            if (eq <= 0) throw new UsageException("invalid argument \"" + kv + "\" for \"" + flag + "\" flag: expected KEY=VALUE");
            o.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return o;
    }

    /** {@code NAME=value} as given; a bare {@code NAME} takes the value of this process's environment, if set. */
    static String envValue(String e) {
        if (e.indexOf('=') > 0) return e;
        if (e.startsWith("=") || e.isBlank()) throw new UsageException("invalid environment variable: " + e);
        String v = Main.env().get(e);
        return v == null ? e : e + "=" + v;
    }

    static List<String> envFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UsageException("cannot read env file " + file + ": " + e.getMessage());
        }
        return lines.stream().map(String::stripLeading).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .map(ContainerOptions::envValue).toList();
    }

    private static void volume(String spec, ObjectNode volumes, ArrayNode binds) {
        String[] parts = spec.split(":");
        if (parts.length == 1) {
            if (!spec.startsWith("/")) throw new UsageException("invalid volume specification: '" + spec + "': the target must be absolute");
            volumes.putObject(spec);
            return;
        }
        if (parts.length > 3) throw new UsageException("invalid volume specification: '" + spec + "'");
        String source = parts[0];
        if (source.startsWith(".")) {
            source = Path.of(source).toAbsolutePath().normalize().toString();
            parts[0] = source;
        }
        binds.add(String.join(":", parts));
    }

    private static JsonNode restartPolicy(String s) {
        ObjectNode r = Json.object();
        int colon = s.indexOf(':');
        String name = colon < 0 ? s : s.substring(0, colon);
        if (!Set.of("no", "always", "unless-stopped", "on-failure").contains(name)) {
            throw new UsageException("invalid restart policy '" + s + "': use no, always, unless-stopped or on-failure[:max-retries]");
        }
        r.put("Name", name);
        if (colon >= 0) {
            if (!name.equals("on-failure")) throw new UsageException("invalid restart policy '" + s + "': only on-failure takes a maximum retry count");
            r.put("MaximumRetryCount", integer(s.substring(colon + 1), "--restart"));
        }
        return r;
    }

    private static JsonNode ulimit(String u) {
        int eq = u.indexOf('=');
        if (eq <= 0) throw new UsageException("invalid ulimit argument: " + u);
        String[] limits = u.substring(eq + 1).split(":");
        long soft = integer(limits[0], "--ulimit");
        long hard = limits.length > 1 ? integer(limits[1], "--ulimit") : soft;
        if (soft > hard) throw new UsageException("ulimit soft limit must be less than or equal to hard limit: " + u);
        return Json.object().put("Name", u.substring(0, eq)).put("Soft", soft).put("Hard", hard);
    }

    private static JsonNode device(String d) {
        String[] parts = d.split(":");
        String perms = "rwm";
        String target = parts[0];
        if (parts.length == 2) {
            if (parts[1].matches("[rwm]+")) perms = parts[1];
            else target = parts[1];
        } else if (parts.length == 3) {
            target = parts[1];
            perms = parts[2];
        } else if (parts.length > 3) {
            throw new UsageException("invalid device specification: " + d);
        }
        return Json.object().put("PathOnHost", parts[0]).put("PathInContainer", target).put("CgroupPermissions", perms);
    }

    /** {@code seccomp=FILE} becomes {@code seccomp=<the profile's JSON, compacted>}, as the docker CLI sends it. */
    static String securityOpt(String s) {
        int sep = s.indexOf('=');
        if (sep < 0) sep = s.indexOf(':');
        if (sep < 0 || !s.substring(0, sep).equals("seccomp")) return s;
        String value = s.substring(sep + 1);
        if (value.equals("unconfined") || value.equals("builtin")) return "seccomp=" + value;
        try {
            return "seccomp=" + Json.write(Json.parse(Files.readAllBytes(Path.of(value))));
        } catch (IOException e) {
            throw new UsageException("opening seccomp profile (" + value + ") failed: " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw new UsageException("seccomp profile " + value + " is not JSON");
        }
    }

    static String addHost(String h) {
        int sep = h.indexOf('=');
        if (sep < 0) sep = h.indexOf(':');
        if (sep <= 0 || sep == h.length() - 1) throw new UsageException("bad format for add-host: \"" + h + "\"");
        return h.substring(0, sep) + ":" + h.substring(sep + 1);
    }
}
