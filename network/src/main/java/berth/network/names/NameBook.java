package berth.network.names;

import berth.network.Endpoint;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Who a container can reach by name, worked out from the endpoints of every network: a pure function of its input,
 * which the caller (the networks service) passes in whole each time, as {@code network name -> its endpoints} (keyed
 * by the name that {@link Endpoint#network()} holds).
 *
 * <p>On a network that resolves names (every user-defined network; Docker's default {@code bridge} does not), a
 * container sees each other container on it under Docker's {@code DNSNames}: its name, its aliases on that network
 * and its short ID ({@link #dnsNames}). On the default network, containers see each other only through legacy links
 * ({@link #links}). Networks are visited in name order and endpoints in container-name order, so a hosts file does not
 * change when nothing it shows changed.
 */
public final class NameBook {
    /** Docker's (and berth's) default network, where names are not resolved and legacy links live. */
    public static final String DEFAULT_NETWORK = "bridge";

    private static final Comparator<Endpoint> BY_NAME = Comparator
            .comparing((Endpoint e) -> Objects.requireNonNullElse(e.containerName(), ""))
            .thenComparing(Endpoint::containerId);

    private final Predicate<String> resolvesNames;
    private final String linkNetwork;

    /** Docker's rules: every network but {@code bridge} resolves names; links are on {@code bridge}. */
    public NameBook() {
        this(network -> !network.equals(DEFAULT_NETWORK), DEFAULT_NETWORK);
    }

    /**
     * @param resolvesNames whether containers on the named network see each other by name
     * @param linkNetwork   the network whose addresses legacy links point at
     */
    public NameBook(Predicate<String> resolvesNames, String linkNetwork) {
        this.resolvesNames = resolvesNames;
        this.linkNetwork = linkNetwork;
    }

    public boolean resolvesNames(String network) {
        return resolvesNames.test(network);
    }

    /** Docker's short ID: the first 12 characters. */
    public static String shortId(String containerId) {
        return containerId.length() > 12 ? containerId.substring(0, 12) : containerId;
    }

    /**
     * The names an endpoint answers to on its network, Docker's {@code DNSNames} ({@code buildEndpointDNSNames}): the
     * container's name, its aliases, its short ID, without repeats (compared without case, as DNS compares names).
     * Docker adds the hostname last; {@link Endpoint} does not carry it, and by default it is the short ID anyway.
     */
    public static List<String> dnsNames(Endpoint e) {
        Map<String, String> names = new LinkedHashMap<>();
        List<String> all = new ArrayList<>();
        if (e.containerName() != null && !e.containerName().isEmpty()) all.add(e.containerName().replaceFirst("^/", ""));
        all.addAll(e.aliases());
        all.add(shortId(e.containerId()));
        for (String n : all) if (!n.isEmpty()) names.putIfAbsent(n.toLowerCase(Locale.ROOT), n);
        return List.copyOf(names.values());
    }

    /** The container's addresses, one per network it is on (networks in name order). */
    public List<String> ownIps(String containerId, Map<String, List<Endpoint>> networks) {
        List<String> ips = new ArrayList<>();
        for (List<Endpoint> endpoints : sorted(networks).values()) {
            for (Endpoint e : endpoints) {
                if (e.containerId().equals(containerId) && e.ip() != null && !e.ip().isEmpty()) ips.add(e.ip());
            }
        }
        return ips;
    }

    /**
     * The entries for every other container on each name-resolving network the container is on: one per endpoint,
     * {@code IP<TAB>name aliases shortID}. A container on two of the same networks as this one gets two entries.
     */
    public List<HostsEntry> peers(String containerId, Map<String, List<Endpoint>> networks) {
        List<HostsEntry> entries = new ArrayList<>();
        for (Map.Entry<String, List<Endpoint>> net : sorted(networks).entrySet()) {
            if (!resolvesNames(net.getKey())) continue;
            List<Endpoint> endpoints = net.getValue();
            if (endpoints.stream().noneMatch(e -> e.containerId().equals(containerId))) continue;
            endpoints.stream()
                    .filter(e -> !e.containerId().equals(containerId) && e.ip() != null && !e.ip().isEmpty())
                    .sorted(BY_NAME)
                    .forEach(e -> entries.add(new HostsEntry(e.ip(), dnsNames(e))));
        }
        return entries;
    }

    /** {@link #peers} of every container on any of the networks, by container ID. */
    public Map<String, List<HostsEntry>> peersByContainer(Map<String, List<Endpoint>> networks) {
        Map<String, List<HostsEntry>> out = new TreeMap<>();
        for (String id : containers(networks)) out.put(id, peers(id, networks));
        return out;
    }

    /**
     * The hosts entries of legacy links, as Docker writes them: {@code IP<TAB>alias hostname name} (the name only
     * when it differs from the alias), with the linked container's address on the link network. A link to a
     * container that has no address there (stopped, or not on it) gives no entry.
     */
    public List<HostsEntry> links(List<Link> links, Map<String, List<Endpoint>> networks) {
        List<HostsEntry> entries = new ArrayList<>();
        List<Endpoint> onLinkNetwork = networks.getOrDefault(linkNetwork, List.of());
        for (Link link : links) {
            for (Endpoint e : onLinkNetwork) {
                if (!e.containerId().equals(link.containerId()) || e.ip() == null || e.ip().isEmpty()) continue;
                Set<String> names = new LinkedHashSet<>();
                names.add(link.alias());
                if (link.hostname() != null && !link.hostname().isEmpty()) names.add(link.hostname());
                names.add(link.name());
                entries.add(new HostsEntry(e.ip(), List.copyOf(names)));
            }
        }
        return entries;
    }

    /** The whole hosts file of a container in a network namespace of its own. */
    public String hostsFile(String containerId, HostsConfig config, List<Link> links, Map<String, List<Endpoint>> networks) {
        return HostsFile.render(config, links(links, networks), ownIps(containerId, networks), peers(containerId, networks));
    }

    /** Every container with an endpoint on any of the networks, in ID order. */
    public static Set<String> containers(Map<String, List<Endpoint>> networks) {
        Set<String> ids = new TreeSet<>();
        for (List<Endpoint> endpoints : networks.values()) for (Endpoint e : endpoints) ids.add(e.containerId());
        return ids;
    }

    private static Map<String, List<Endpoint>> sorted(Map<String, List<Endpoint>> networks) {
        return new TreeMap<>(networks);
    }
}
