package berth.network;

import berth.network.cni.CniCache;
import berth.network.cni.CniConfigList;
import berth.network.cni.CniException;
import berth.network.cni.CniResult;
import berth.network.cni.CniRuntime;
import berth.network.cni.PluginExec;
import berth.network.cni.ProcessPluginExec;
import berth.network.cni.RuntimeConf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * berth's networks and the attachments of network namespaces to them, over CNI.
 *
 * <p>Layout under {@code root}: {@code networks/<id>.json} (the {@link Network} records),
 * {@code endpoints/<networkId>/<containerId>.json} (the attachments, with the namespace path and inode),
 * {@code cni/results/<network>-<containerId>-<ifname>} (libcni's cache of ADD results, used by DEL),
 * {@code cni/ipam/<network>/} (host-local's allocations) and {@code network.lock}.
 *
 * <p>Everything this root creates on the host carries its {@link #prefix()}: bridges are named
 * {@code <prefix>-<8 hex digits of the network ID>}, berth's iptables chains {@code BERTH-FWD-<prefix>} and
 * {@code BERTH-ISO-<prefix>}; {@link #reconcile()} removes only what carries it. Two instances with different
 * roots therefore never touch each other's bridges or rules.
 *
 * <p>Modes that need no network are the caller's: {@code host} (no namespace of its own), {@code none}
 * ({@link #bringUpLoopback} only), {@code container:<id>} (the other container's namespace, attached
 * already).
 */
public final class Networks {
    /** The network containers join when none is named. */
    public static final String DEFAULT_NETWORK = "bridge";
    /** The interface a container gets when the request names none. */
    public static final String DEFAULT_IFNAME = "eth0";

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.\\-]*");
    private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9]{0,5}");
    private static final Set<String> RESERVED = Set.of("host", "none", "default");
    private static final int AUTO_SUBNET_ATTEMPTS = 8;

    /** What {@link #reconcile()} cleaned up. */
    public record Reconciled(List<String> detached, List<String> removedBridges) {}

    private final Path root;
    private final String prefix;
    private final Commands cmds;
    private final CniRuntime cni;
    private final HostRoutes routes;
    private final NetworkStore networks;
    private final EndpointStore endpoints;
    private final Bridges bridges;
    private final FirewallRules firewall;
    private final PortAllocator ports;
    private final StateLock lock;
    private final SecureRandom random = new SecureRandom();
    private volatile Membership membership = Membership.NONE;

    /**
     * @param root       berth's data root; this layer uses the subdirectories named in the class comment
     * @param pluginDirs where the CNI plugins are, in lookup order (null or empty: /usr/lib/cni, /opt/cni/bin)
     * @param prefix     names this instance's bridges and iptables chains: a lower-case letter and up to five
     *                   more letters or digits (null: derived from the root, see {@link #derivePrefix})
     */
    public Networks(Path root, List<Path> pluginDirs, String prefix) {
        this(root, pluginDirs, prefix, new ProcessCommands(), new ProcessPluginExec(), Path.of("/proc/net/route"),
                Path.of("/sys/class/net"));
    }

    Networks(Path root, List<Path> pluginDirs, String prefix, Commands cmds, PluginExec exec, Path procNetRoute,
             Path sysClassNet) {
        this.root = root.toAbsolutePath().normalize();
        this.prefix = prefix == null ? derivePrefix(this.root) : prefix;
        if (!PREFIX.matcher(this.prefix).matches()) {
            throw new NetworkException.Invalid("invalid network prefix \"" + this.prefix + "\": a lower-case letter and up to 5 more letters or digits");
        }
        this.cmds = cmds;
        this.cni = new CniRuntime(pluginDirs, this.root.resolve("cni"), exec);
        this.routes = new HostRoutes(procNetRoute);
        this.networks = new NetworkStore(this.root.resolve("networks"));
        this.endpoints = new EndpointStore(this.root.resolve("endpoints"));
        this.bridges = new Bridges(cmds, sysClassNet);
        this.firewall = new FirewallRules(cmds, this.prefix);
        this.ports = new PortAllocator(cmds);
        this.lock = new StateLock(this.root.resolve("network.lock"));
    }

    /** Who hears of joins and leaves (the names layer, through the engine); none by default. */
    public void setMembership(Membership listener) {
        this.membership = listener == null ? Membership.NONE : listener;
    }

    /** Every network's attached endpoints, keyed by network name. */
    public Map<String, List<Endpoint>> membership() {
        Map<String, List<Endpoint>> m = new LinkedHashMap<>();
        for (Network n : list()) m.put(n.name(), endpoints(n.name()));
        return m;
    }

    private void tell(Endpoint ep, boolean joined) {
        try {
            if (joined) membership.joined(ep, membership());
            else membership.left(ep, membership());
        } catch (Exception e) {
            // The attachment itself stands; a name file that could not be rewritten is reported, not undone.
            throw new NetworkException("network " + ep.network() + ": updating names for " + ep.containerId() + ": " + e.getMessage(), e);
        }
    }

    /** {@code b} and the first 5 hex digits of SHA-256 of the absolute root path: short enough for bridge names. */
    public static String derivePrefix(Path root) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest(root.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
            return "b" + HexFormat.of().formatHex(h).substring(0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path root() {
        return root;
    }

    public String prefix() {
        return prefix;
    }

    /** The CNI runtime with this root's cache, for callers that run their own configuration lists (CRI). */
    public CniRuntime cni() {
        return cni;
    }

    // ---- networks ----

    /**
     * Creates a network. Without a subnet, the first free default pool is chosen (see {@link SubnetChooser});
     * a given subnet must not overlap another network's. Without a gateway, the subnet's first address.
     * The bridge is made now, with the gateway address on it.
     */
    public Network create(String name, String subnet, String gateway, boolean internal, Map<String, String> labels) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new NetworkException.Invalid("invalid network name \"" + name + "\": letters, digits, '_', '.' and '-', starting with a letter or digit");
        }
        if (RESERVED.contains(name)) throw new NetworkException.Invalid("network name " + name + " is reserved");
        try (var held = lock.acquire()) {
            List<Network> existing = networks.list();
            if (existing.stream().anyMatch(n -> n.name().equals(name))) {
                throw new NetworkException.Conflict("network with name " + name + " already exists");
            }
            List<Ipv4Subnet> taken = new ArrayList<>();
            for (Network n : existing) taken.add(Ipv4Subnet.parse(n.subnet()));
            Ipv4Subnet chosen = null;
            if (subnet != null) {
                chosen = Ipv4Subnet.parse(subnet);
                if (chosen.prefix() > 30) throw new NetworkException.Invalid("invalid subnet " + subnet + ": a network needs at least a /30");
                for (Network n : existing) {
                    if (Ipv4Subnet.parse(n.subnet()).overlaps(chosen)) {
                        throw new NetworkException.Conflict("invalid pool request: subnet " + chosen + " overlaps with network "
                                + n.name() + " (" + n.subnet() + ")");
                    }
                }
            }
            String id = newId(existing);
            String bridge = prefix + "-" + id.substring(0, 8);
            for (int attempt = 0; ; attempt++) {
                Ipv4Subnet s = chosen;
                if (s == null) {
                    List<Ipv4Subnet> avoid = new ArrayList<>(taken);
                    for (HostRoutes.Route r : routes.list()) avoid.add(r.destination());
                    s = SubnetChooser.choose(avoid);
                }
                String gw = gateway(s, gateway);
                bridges.create(bridge, gw, s.prefix());
                if (chosen == null && attempt < AUTO_SUBNET_ATTEMPTS && routedElsewhere(s, bridge)) {
                    // another program took the subnet between our look and our bridge: pick again
                    bridges.delete(bridge);
                    taken.add(s);
                    continue;
                }
                Network n = new Network(name, id, "bridge", s.toString(), gw, bridge, internal,
                        labels == null ? Map.of() : Map.copyOf(new TreeMap<>(labels)), Instant.now().toString());
                try {
                    networks.put(n);
                    List<Network> all = new ArrayList<>(existing);
                    all.add(n);
                    firewall.apply(all);
                } catch (RuntimeException e) {
                    networks.remove(id);
                    bridges.delete(bridge);
                    throw e;
                }
                return n;
            }
        }
    }

    /** The default network, created (with a free subnet) if it does not exist yet. */
    public Network ensureDefault() {
        try (var held = lock.acquire()) {
            return find(DEFAULT_NETWORK).orElseGet(() -> create(DEFAULT_NETWORK, null, null, false, Map.of()));
        }
    }

    /** The network of that name, ID or unique ID prefix. */
    public Network get(String nameOrId) {
        return find(nameOrId).orElseThrow(() -> new NetworkException.NotFound("network " + nameOrId + " not found"));
    }

    /** The network of that name, ID or unique ID prefix, if there is one; an ambiguous prefix is an error. */
    public Optional<Network> find(String nameOrId) {
        if (nameOrId == null || nameOrId.isEmpty()) return Optional.empty();
        List<Network> all = networks.list();
        for (Network n : all) if (n.name().equals(nameOrId)) return Optional.of(n);
        for (Network n : all) if (n.id().equals(nameOrId)) return Optional.of(n);
        List<Network> byPrefix = all.stream().filter(n -> n.id().startsWith(nameOrId)).toList();
        if (byPrefix.size() > 1) {
            throw new NetworkException.Invalid("network " + nameOrId + " is ambiguous (" + byPrefix.size() + " matches found based on ID prefix)");
        }
        return byPrefix.stream().findFirst();
    }

    /** Every network, oldest first. */
    public List<Network> list() {
        return networks.list();
    }

    /**
     * Removes a network: its bridge, its address allocations and its record. Refused while containers are
     * attached to it.
     */
    public void remove(String nameOrId) {
        try (var held = lock.acquire()) {
            Network n = get(nameOrId);
            List<EndpointRecord> attached = endpoints.list(n.id());
            if (!attached.isEmpty()) {
                throw new NetworkException.Conflict("error while removing network: network " + n.name() + " id " + n.id()
                        + " has active endpoints (" + attached.size() + " container" + (attached.size() == 1 ? "" : "s") + ")");
            }
            for (CniCache.Entry orphan : cni.cache().list()) {
                if (orphan.networkName().equals(n.name())) delCached(orphan, "");
            }
            bridges.delete(n.bridge());
            StoreFiles.deleteTree(ipamDir().resolve(n.name()));
            networks.remove(n.id());
            endpoints.removeNetwork(n.id());
            firewall.apply(networks.list());
        }
    }

    // ---- endpoints ----

    /**
     * Puts the namespace {@code req.netns()} on the network: loopback up, an interface from the network's
     * bridge with an address from its subnet (the static one if asked, which must be a free host address of
     * the subnet), a default route, and the published ports (host port 0 takes a free port). On failure
     * nothing is left behind.
     */
    public Endpoint attach(AttachRequest req) {
        String ifname = req.ifname() == null || req.ifname().isEmpty() ? DEFAULT_IFNAME : req.ifname();
        RuntimeConf base;
        try {
            base = new RuntimeConf(req.containerId(), "", ifname, null, null);
        } catch (IllegalArgumentException e) {
            throw new NetworkException.Invalid(e.getMessage());
        }
        if (req.netns() == null) throw new NetworkException.Invalid("attach " + req.containerId() + ": no network namespace given");
        Long inode = Netns.inode(req.netns());
        if (inode == null) throw new NetworkException.Invalid("network namespace " + req.netns() + " does not exist");
        String netName = req.network() == null || req.network().isEmpty() ? DEFAULT_NETWORK : req.network();
        Network net = netName.equals(DEFAULT_NETWORK) ? ensureDefault() : get(netName);
        String staticIp = req.staticIp() == null || req.staticIp().isEmpty() ? null : checkStaticIp(net, req.staticIp());
        if (net.internal() && !req.ports().isEmpty()) {
            throw new NetworkException.Invalid("network " + net.name() + " is internal: ports cannot be published on it");
        }

        EndpointRecord pending;
        try (var held = lock.acquire()) {
            if (networks.list().stream().noneMatch(n -> n.id().equals(net.id()))) {
                throw new NetworkException.NotFound("network " + net.name() + " not found");
            }
            if (endpoints.get(net.id(), req.containerId()).isPresent()) {
                throw new NetworkException.Conflict("endpoint with name " + display(req) + " already exists in network " + net.name());
            }
            List<PortMapping> ours = new ArrayList<>();
            for (EndpointRecord r : endpoints.all()) ours.addAll(r.endpoint().ports());
            List<PortMapping> published = ports.allocate(req.ports(), ours);
            Endpoint ep = new Endpoint(req.containerId(), req.containerName(), net.name(), ifname, null, 0, null, null,
                    req.aliases(), published);
            pending = new EndpointRecord(ep, net.id(), req.netns().toString(), inode, false, Instant.now().toString());
            endpoints.put(pending);
        }

        Map<String, String> args = new LinkedHashMap<>();
        args.put("IgnoreUnknown", "1");
        if (staticIp != null) args.put("IP", staticIp);
        Map<String, Object> caps = new LinkedHashMap<>();
        if (!pending.endpoint().ports().isEmpty()) caps.put("portMappings", portMappings(pending.endpoint().ports()));
        RuntimeConf rt = new RuntimeConf(base.containerId(), req.netns().toString(), ifname, args, caps);
        CniConfigList conf = CniConfigs.conflist(net, ipamDir());
        try {
            firewall.ensure(networks::list);
            bringUpLoopback(req.netns());
            CniResult result = cni.add(conf, rt);
            CniResult.IpConfig ip = result.sandboxAddress();
            if (ip == null) throw new NetworkException("network " + net.name() + ": the plugins returned no address");
            CniResult.Interface iface = result.interfaceAt(ip.interfaceIndex());
            Endpoint ep = new Endpoint(req.containerId(), req.containerName(), net.name(), ifname, ip.ip(), ip.prefixLength(),
                    ip.gateway(), iface == null ? null : iface.mac(), req.aliases(), pending.endpoint().ports());
            endpoints.put(pending.attached(ep));
        } catch (RuntimeException e) {
            try {
                cni.del(conf, rt);
                firewall.removeMasquerade(net.name(), rt.containerId());
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            endpoints.remove(net.id(), req.containerId());
            if (e instanceof CniException c) throw new NetworkException(c.getMessage(), c);
            throw e;
        }
        Endpoint attached = endpoints.get(net.id(), req.containerId()).orElseThrow().endpoint();
        tell(attached, true);
        return attached;
    }

    /** Runs CNI CHECK for the container's attachment to the network: the plugins verify that it is as ADD made it. */
    public void check(String containerId, String network) {
        Network net = get(network);
        EndpointRecord r = endpoints.get(net.id(), containerId)
                .orElseThrow(() -> new NetworkException.NotFound("container " + containerId + " is not attached to network " + net.name()));
        CniCache.Entry cached = cni.cache().get(net.name(), containerId, r.endpoint().ifname())
                .orElseThrow(() -> new NetworkException.NotFound("no CNI result cached for container " + containerId + " on network " + net.name()));
        try {
            cni.check(cached.config(), cached.runtimeConf(r.netns()));
        } catch (CniException e) {
            throw new NetworkException(e.getMessage(), e);
        }
    }

    /**
     * Takes the container off the network: CNI DEL (interface, address, port rules), then the record. A
     * container that is not attached is fine; so is a namespace that is gone.
     */
    public void detach(String containerId, String network) {
        Network net = get(network);
        Optional<EndpointRecord> r = endpoints.get(net.id(), containerId);
        if (r.isPresent()) {
            delete(r.get());
            return;
        }
        for (CniCache.Entry e : cni.cache().list()) {
            if (e.networkName().equals(net.name()) && e.containerId().equals(containerId)) delCached(e, "");
        }
    }

    /** Takes the container off every network it is on. */
    public void detachAll(String containerId) {
        for (EndpointRecord r : endpoints.all()) {
            if (r.containerId().equals(containerId)) delete(r);
        }
        for (CniCache.Entry e : cni.cache().list()) {
            if (e.containerId().equals(containerId)) delCached(e, "");
        }
    }

    /** The containers attached to the network. */
    public List<Endpoint> endpoints(String network) {
        Network net = get(network);
        return endpoints.list(net.id()).stream().filter(EndpointRecord::attached).map(EndpointRecord::endpoint).toList();
    }

    /** The networks the container is attached to, as its endpoints. */
    public List<Endpoint> endpointsOf(String containerId) {
        return endpoints.all().stream().filter(r -> r.attached() && r.containerId().equals(containerId))
                .map(EndpointRecord::endpoint).toList();
    }

    /** Brings up {@code lo} in the namespace (the loopback plugin): all a container of mode {@code none} gets. */
    public void bringUpLoopback(Path netns) {
        try {
            cni.addPlugin("loopback", CniConfigs.CNI_VERSION, CniConfigs.loopback(),
                    new RuntimeConf("berth-lo", netns.toString(), "lo", null, null));
        } catch (CniException e) {
            throw new NetworkException(e.getMessage(), e);
        }
    }

    /**
     * Start-up recovery: detaches every attachment whose namespace is gone (the container died with berth
     * down), runs DEL for cached results no record knows, recreates missing bridges of stored networks
     * (after a reboot), removes this prefix's bridges and address allocations of networks that no longer
     * exist, and rewrites berth's iptables chains.
     */
    public Reconciled reconcile() {
        try (var held = lock.acquire()) {
            List<String> detached = new ArrayList<>();
            for (EndpointRecord r : endpoints.all()) {
                if (!r.namespaceAlive()) {
                    delete(r);
                    detached.add(r.endpoint().network() + "/" + r.containerId());
                }
            }
            Set<String> known = new HashSet<>();
            for (EndpointRecord r : endpoints.all()) known.add(r.endpoint().network() + "/" + r.containerId() + "/" + r.endpoint().ifname());
            for (CniCache.Entry e : cni.cache().list()) {
                if (!known.contains(e.networkName() + "/" + e.containerId() + "/" + e.ifname())) {
                    delCached(e, "");
                    detached.add(e.networkName() + "/" + e.containerId());
                }
            }
            List<Network> all = networks.list();
            Set<String> ours = new HashSet<>();
            Set<String> names = new HashSet<>();
            for (Network n : all) {
                ours.add(n.bridge());
                names.add(n.name());
                if (!bridges.exists(n.bridge())) bridges.create(n.bridge(), n.gateway(), Ipv4Subnet.parse(n.subnet()).prefix());
            }
            List<String> removed = new ArrayList<>();
            for (String b : bridges.list(prefix + "-")) {
                if (!ours.contains(b)) {
                    bridges.delete(b);
                    removed.add(b);
                }
            }
            if (Files.isDirectory(ipamDir())) {
                try (var dirs = Files.list(ipamDir())) {
                    for (Path d : dirs.toList()) if (!names.contains(d.getFileName().toString())) StoreFiles.deleteTree(d);
                } catch (IOException e) {
                    throw new UncheckedIOException("list " + ipamDir() + ": " + e.getMessage(), e);
                }
            }
            firewall.apply(all);
            return new Reconciled(detached, removed);
        }
    }

    // ---- internals ----

    Path ipamDir() {
        return root.resolve("cni").resolve("ipam");
    }

    private void delete(EndpointRecord r) {
        Network net = networks.list().stream().filter(n -> n.id().equals(r.networkId())).findFirst().orElse(null);
        String netns = r.namespaceAlive() ? r.netns() : "";
        String ifname = r.endpoint().ifname();
        Optional<CniCache.Entry> cached = cni.cache().get(r.endpoint().network(), r.containerId(), ifname);
        try {
            if (cached.isPresent()) {
                cni.del(cached.get(), netns);
            } else if (net != null) {
                Map<String, Object> caps = r.endpoint().ports().isEmpty() ? Map.of() : Map.of("portMappings", portMappings(r.endpoint().ports()));
                cni.del(CniConfigs.conflist(net, ipamDir()), new RuntimeConf(r.containerId(), netns, ifname, Map.of("IgnoreUnknown", "1"), caps));
            }
            firewall.removeMasquerade(r.endpoint().network(), r.containerId());
        } catch (CniException e) {
            throw new NetworkException(e.getMessage(), e);
        }
        try (var held = lock.acquire()) {
            endpoints.remove(r.networkId(), r.containerId());
        }
        if (r.attached()) tell(r.endpoint(), false);
    }

    private void delCached(CniCache.Entry e, String netns) {
        try {
            cni.del(e, netns);
            firewall.removeMasquerade(e.networkName(), e.containerId());
        } catch (CniException ex) {
            throw new NetworkException(ex.getMessage(), ex);
        }
    }

    private static List<Map<String, Object>> portMappings(List<PortMapping> ports) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (PortMapping p : ports) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("hostPort", p.hostPort());
            m.put("containerPort", p.containerPort());
            m.put("protocol", p.protocol());
            if (!PortAllocator.isAnyAddress(p.hostIp())) m.put("hostIP", p.hostIp());
            out.add(m);
        }
        return out;
    }

    private String checkStaticIp(Network net, String ip) {
        Ipv4Subnet s = Ipv4Subnet.parse(net.subnet());
        int addr;
        try {
            addr = Ipv4Subnet.parseAddress(ip);
        } catch (NetworkException e) {
            throw new NetworkException.Invalid("invalid IPv4 address " + ip + " for network " + net.name());
        }
        String canonical = Ipv4Subnet.format(addr);
        if (!s.isHost(addr)) {
            throw new NetworkException.Invalid("invalid address " + ip + ": it does not belong to any of network " + net.name() + "'s subnets (" + net.subnet() + ")");
        }
        if (canonical.equals(net.gateway())) {
            throw new NetworkException.Invalid("invalid address " + ip + ": it is network " + net.name() + "'s gateway");
        }
        if (Files.exists(ipamDir().resolve(net.name()).resolve(canonical))) {
            throw new NetworkException.Conflict("address " + canonical + " is already in use on network " + net.name());
        }
        return canonical;
    }

    private static String gateway(Ipv4Subnet s, String given) {
        if (given == null || given.isEmpty()) return Ipv4Subnet.format(s.firstHost());
        int gw = Ipv4Subnet.parseAddress(given);
        if (!s.isHost(gw)) throw new NetworkException.Invalid("invalid gateway " + given + ": not a host address of subnet " + s);
        return Ipv4Subnet.format(gw);
    }

    /** Whether an interface other than {@code bridge} has a route overlapping {@code s}. */
    private boolean routedElsewhere(Ipv4Subnet s, String bridge) {
        return routes.list().stream().anyMatch(r -> !r.iface().equals(bridge) && r.destination().overlaps(s));
    }

    private String newId(List<Network> existing) {
        while (true) {
            byte[] b = new byte[32];
            random.nextBytes(b);
            String id = HexFormat.of().formatHex(b);
            String shortId = id.substring(0, 8);
            if (existing.stream().noneMatch(n -> n.id().startsWith(shortId))) return id;
        }
    }

    private static String display(AttachRequest req) {
        return req.containerName() == null || req.containerName().isEmpty() ? req.containerId() : req.containerName();
    }
}
