package berth.engine;

import berth.network.AttachRequest;
import berth.network.Endpoint;
import berth.network.Membership;
import berth.network.Network;
import berth.network.Networks;
import berth.network.PortMapping;
import berth.network.dns.ContainerDns;
import berth.network.dns.DnsServer;
import berth.network.names.DnsConfig;
import berth.network.names.HostsConfig;
import berth.network.names.HostsEntry;
import berth.network.names.HostsFile;
import berth.network.names.HostsUpdater;
import berth.network.names.Link;
import berth.network.names.NameBook;
import berth.network.names.ResolvConf;
import berth.network.ports.PortSpecs;
import berth.sys.Syscalls;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A container's network, from Docker's {@code NetworkMode} and {@code NetworkingConfig}: its namespace (a
 * bind-mounted file {@code containers/<id>/netns}, made before the container starts, as Docker's sandbox
 * is), its endpoints on berth's networks with published ports, and the three files bind-mounted over its
 * {@code /etc/hostname}, {@code /etc/hosts} and {@code /etc/resolv.conf}, which the names layer keeps current.
 */
public final class ContainerNetworking implements AutoCloseable {
    private static final int MNT_DETACH = 2;
    private final Networks networks;
    private final Syscalls sys;
    private final ContainerStore store;
    private final DnsServer dns;
    private final ContainerDns containerDns;

    public ContainerNetworking(Networks networks, Syscalls sys, ContainerStore store) {
        this.networks = networks;
        this.sys = sys;
        this.store = store;
        HostsUpdater hosts = new HostsUpdater(new NameBook(), this::hostsTarget);
        List<java.net.InetSocketAddress> upstreams;
        try {
            upstreams = DnsServer.hostUpstreams(ResolvConf.ofHost().source());
        } catch (IOException e) {
            upstreams = List.of();
        }
        this.dns = new DnsServer(upstreams, DnsServer.UPSTREAM_TIMEOUT, sys);
        this.containerDns = new ContainerDns(dns, new NameBook(), this::netnsOf, networks.membership());
        networks.setMembership(Membership.all(List.of(hosts, containerDns)));
    }

    public Networks networks() {
        return networks;
    }

    /** Starts the DNS servers of containers that are running now (after a daemon restart). */
    public void resume() {
        try {
            containerDns.sync(networks.membership());
        } catch (IOException e) {
            throw new UncheckedIOException("embedded DNS: " + e.getMessage(), e);
        }
    }

    /** {@code default} is {@code bridge}, as in Docker. */
    public static String mode(Container c) {
        String m = c.hostConfig.path("NetworkMode").asText("");
        return m.isEmpty() || m.equals("default") ? Networks.DEFAULT_NETWORK : m;
    }

    /** The namespace path the container's spec joins, or null to stay in the host's (--network host). */
    public Path namespacePath(Container c) {
        String mode = mode(c);
        if (mode.equals("host")) return null;
        if (mode.startsWith("container:")) {
            Container owner = store.get(mode.substring("container:".length()));
            if (!owner.state.running()) {
                throw new EngineException.Conflict("cannot join network of a non running container: " + owner.name);
            }
            return nsFile(owner);
        }
        return nsFile(c);
    }

    private Path nsFile(Container c) {
        return store.dir(c.id).resolve("netns");
    }

    private Optional<Path> netnsOf(String id) {
        return store.find(id).map(this::nsFile).filter(Files::exists);
    }

    /**
     * Before start: the namespace, the endpoints and the files. On failure everything made so far is undone.
     */
    public void setUp(Container c) {
        Path dir = store.dir(c.id);
        String mode = mode(c);
        try {
            writeHostname(c, dir.resolve("hostname"));
            if (mode.equals("host")) {
                HostsFile.write(dir.resolve("hosts"), HostsFile.hostMode(HostsFile.HOST_FILE, extraHosts(c, null)));
                Files.writeString(dir.resolve("resolv.conf"), ResolvConf.ofHost().forHostNetwork(dnsConfig(c)));
                return;
            }
            if (mode.startsWith("container:")) {
                Container owner = store.get(mode.substring("container:".length()));
                Path ownerDir = store.dir(owner.id);
                for (String f : List.of("hosts", "resolv.conf")) {
                    Files.copy(ownerDir.resolve(f), dir.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                return;
            }
            Path ns = nsFile(c);
            if (!Files.exists(ns)) {
                Files.createFile(ns);
                sys.newNetworkNamespace(ns.toString());
            }
            networks.bringUpLoopback(ns);
            setSysctls(c, ns);
            boolean embeddedDns = !mode.equals("none") && !mode.equals(Networks.DEFAULT_NETWORK);
            Files.writeString(dir.resolve("resolv.conf"), embeddedDns
                    ? ResolvConf.ofHost().forEmbeddedDns(dnsConfig(c))
                    : ResolvConf.ofHost().forContainer(dnsConfig(c), false));
            Network primary = mode.equals("none") ? null
                    : mode.equals(Networks.DEFAULT_NETWORK) ? networks.ensureDefault() : networks.get(mode);
            HostsFile.write(dir.resolve("hosts"), HostsFile.render(hostsConfig(c, primary), List.of(), List.of(), List.of()));
            c.networks.clear();
            if (primary != null) attach(c, primary, ports(c));
            Iterable<Map.Entry<String, JsonNode>> extra = c.endpointsConfig == null ? List.of() : c.endpointsConfig.properties();
            for (Map.Entry<String, JsonNode> e : extra) {
                if (e.getKey().equals("default") || e.getKey().equals(mode)) continue;
                Network n = networks.get(e.getKey());
                if (primary != null && n.name().equals(primary.name())) continue;
                attach(c, n, List.of());
            }
        } catch (IOException e) {
            tearDown(c);
            throw new UncheckedIOException("set up the network of " + c.name + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            tearDown(c);
            throw e;
        }
    }

    /** Docker's namespace sysctls (unprivileged ping and low ports) and the request's net.* ones. */
    private void setSysctls(Container c, Path ns) {
        var request = new berth.engine.spec.CreateRequest(c.config, c.hostConfig, Json.object());
        Map<String, String> sysctls = berth.engine.spec.OciSpecBuilder.networkSysctls(request);
        if (sysctls.isEmpty()) return;
        sys.inNetworkNamespace(ns.toString(), () -> {
            sysctls.forEach((k, v) -> {
                Path file = Path.of("/proc/sys", k.replace('.', '/'));
                try {
                    Files.writeString(file, v);
                } catch (IOException e) {
                    throw new EngineException.Invalid("sysctl " + k + "=" + v + ": " + e.getMessage());
                }
            });
            return null;
        });
    }

    /** Connects a container (running or not) to one more network. */
    public void connect(Container c, Network n, ObjectNode endpointConfig) {
        if (c.endpointsConfig == null) c.endpointsConfig = Json.object();
        c.endpointsConfig.set(n.name(), endpointConfig == null ? Json.object() : endpointConfig);
        if (c.state.running() && Files.exists(nsFile(c))) attach(c, n, List.of());
    }

    public void disconnect(Container c, Network n) {
        if (c.endpointsConfig != null) c.endpointsConfig.remove(n.name());
        networks.detach(c.id, n.name());
        c.networks.remove(n.name());
    }

    private void attach(Container c, Network n, List<PortMapping> ports) {
        JsonNode ec = c.endpointsConfig == null ? null : c.endpointsConfig.get(n.name());
        if (ec == null && c.endpointsConfig != null && n.name().equals(mode(c))) ec = c.endpointsConfig.get("default");
        List<String> aliases = new ArrayList<>();
        String staticIp = null;
        if (ec != null) {
            ec.path("Aliases").forEach(a -> aliases.add(a.asText()));
            String ip = ec.path("IPAMConfig").path("IPv4Address").asText("");
            if (!ip.isEmpty()) staticIp = ip;
        }
        String hostname = c.config.path("Hostname").asText("");
        if (!hostname.isEmpty() && !n.name().equals(Networks.DEFAULT_NETWORK) && !aliases.contains(hostname)) {
            aliases.add(hostname);
        }
        String ifname = "eth" + c.networks.size();
        Endpoint ep = networks.attach(new AttachRequest(c.id, c.name, nsFile(c), n.name(), ifname, staticIp, aliases, ports));
        c.networks.put(n.name(), endpointSettings(n, ep, aliases));
    }

    /** Docker's {@code EndpointSettings}, as inspect shows it. */
    private static ObjectNode endpointSettings(Network n, Endpoint ep, List<String> aliases) {
        ObjectNode s = Json.object();
        s.putNull("IPAMConfig");
        s.putNull("Links");
        if (n.name().equals(Networks.DEFAULT_NETWORK)) s.putNull("Aliases");
        else aliases.forEach(s.withArray("Aliases")::add);
        s.put("NetworkID", n.id());
        s.put("EndpointID", ep.containerId().substring(0, 32) + n.id().substring(0, 32));
        s.put("Gateway", ep.gateway() == null ? "" : ep.gateway());
        s.put("IPAddress", ep.ip());
        s.put("IPPrefixLen", ep.prefixLength());
        s.put("IPv6Gateway", "");
        s.put("GlobalIPv6Address", "");
        s.put("GlobalIPv6PrefixLen", 0);
        s.put("MacAddress", ep.mac() == null ? "" : ep.mac());
        s.putNull("DriverOpts");
        return s;
    }

    /** After the container ended (or when it is removed): endpoints, ports and the namespace go. */
    public void tearDown(Container c) {
        try {
            networks.detachAll(c.id);
        } finally {
            c.networks.clear();
            Path ns = nsFile(c);
            if (Files.exists(ns)) {
                try {
                    sys.umount(ns.toString(), MNT_DETACH);
                } catch (RuntimeException e) {
                    // not mounted (a set-up that failed half way)
                }
                try {
                    Files.deleteIfExists(ns);
                } catch (IOException e) {
                    throw new UncheckedIOException("remove " + ns + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /** The endpoints attach made, for NetworkSettings.Ports. */
    public List<Endpoint> endpoints(Container c) {
        return networks.endpointsOf(c.id);
    }

    private static void writeHostname(Container c, Path file) throws IOException {
        String h = hostname(c);
        Files.writeString(file, h + "\n");
    }

    /** {@code --hostname}, else the short ID (the host's name with {@code --network host}). */
    public static String hostname(Container c) {
        String h = c.config.path("Hostname").asText("");
        if (!h.isEmpty()) return h;
        if (mode(c).equals("host")) {
            try {
                return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            } catch (IOException e) {
                return c.shortId();
            }
        }
        return c.shortId();
    }

    private Optional<HostsUpdater.Target> hostsTarget(String id) {
        return store.find(id).map(c -> new HostsUpdater.Target(store.dir(c.id).resolve("hosts"),
                hostsConfig(c, null), links(c)));
    }

    private HostsConfig hostsConfig(Container c, Network primary) {
        String domain = c.config.path("Domainname").asText("");
        return new HostsConfig(hostname(c), domain.isEmpty() ? null : domain, extraHosts(c, primary));
    }

    private List<HostsEntry> extraHosts(Container c, Network primary) {
        List<HostsEntry> out = new ArrayList<>();
        String gateway = primary != null ? primary.gateway() : networks.ensureDefault().gateway();
        c.hostConfig.path("ExtraHosts").forEach(h -> out.add(HostsEntry.parseAddHost(h.asText(), gateway)));
        return out;
    }

    /** {@code --link} as the names layer takes it; a link to a missing container is a 404. */
    public List<Link> links(Container c) {
        List<Link> out = new ArrayList<>();
        for (JsonNode l : c.hostConfig.path("Links")) {
            String flag = l.asText();
            String target = flag.split(":", -1)[0];
            Container linked = store.get(target);
            out.add(Link.of(flag, linked.id, hostname(linked)));
        }
        return out;
    }

    private static DnsConfig dnsConfig(Container c) {
        return new DnsConfig(texts(c.hostConfig.path("Dns")), texts(c.hostConfig.path("DnsSearch")),
                texts(c.hostConfig.path("DnsOptions")));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** HostConfig.PortBindings and PublishAllPorts as mappings (host port 0: any free one). */
    static List<PortMapping> ports(Container c) {
        List<PortMapping> out = new ArrayList<>();
        Set<String> bound = new HashSet<>();
        for (Map.Entry<String, JsonNode> e : c.hostConfig.path("PortBindings").properties()) {
            String[] pp = e.getKey().split("/", 2);
            String proto = pp.length > 1 ? pp[1] : "tcp";
            int port = parsePort(pp[0], e.getKey());
            bound.add(port + "/" + proto);
            JsonNode bindings = e.getValue();
            if (bindings == null || bindings.isNull() || bindings.isEmpty()) {
                out.add(new PortMapping(null, 0, port, proto));
                continue;
            }
            for (JsonNode b : bindings) {
                String ip = b.path("HostIp").asText("");
                String hp = b.path("HostPort").asText("");
                out.add(new PortMapping(ip.isEmpty() ? null : ip, hp.isEmpty() ? 0 : parsePort(hp, hp), port, proto));
            }
        }
        if (c.hostConfig.path("PublishAllPorts").asBoolean(false)) {
            List<String> exposed = new ArrayList<>();
            c.config.path("ExposedPorts").fieldNames().forEachRemaining(exposed::add);
            for (PortMapping m : PortSpecs.publishAll(exposed)) {
                if (!bound.contains(m.containerPort() + "/" + m.protocol())) out.add(m);
            }
        }
        return out;
    }

    private static int parsePort(String s, String spec) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new EngineException.Invalid("invalid port specification: \"" + spec + "\"");
        }
    }

    /** Per network name, the networks' IDs: for inspect and ps. */
    public Map<String, String> networkIds() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Network n : networks.list()) out.put(n.name(), n.id());
        return out;
    }

    @Override
    public void close() {
        dns.close();
    }
}
