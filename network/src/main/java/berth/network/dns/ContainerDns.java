package berth.network.dns;

import berth.network.Endpoint;
import berth.network.Membership;
import berth.network.names.NameBook;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Which container's {@link DnsServer} answers what, kept current as endpoints join and leave networks (a
 * {@link Membership}; the networks service passes every network's endpoints after each change).
 *
 * <p>A container on at least one name-resolving network ({@link NameBook#resolvesNames}: all but the default
 * {@code bridge}) gets a server in its namespace; one that is on none any more loses it. Its resolver reads the latest
 * endpoints on every query, so a container attached later is resolvable at once: on every name-resolving network the
 * container is on, each endpoint (its own included, as in Docker) answers to its {@link NameBook#dnsNames}, compared
 * without case.
 *
 * <p>Where a container's namespace is comes from the {@code netns} function, which answers empty for containers
 * without one of their own (those get no server).
 */
public final class ContainerDns implements Membership {
    private final DnsServer server;
    private final NameBook book;
    private final Function<String, Optional<Path>> netns;
    private final Map<String, Path> served = new HashMap<>();
    private volatile Map<String, List<Endpoint>> networks;

    /**
     * @param networks the endpoints of every network now (e.g. {@code Networks.membership()}); {@link #sync} them to
     *                 start the servers of containers already running
     */
    public ContainerDns(DnsServer server, NameBook book, Function<String, Optional<Path>> netns,
                        Map<String, List<Endpoint>> networks) {
        this.server = server;
        this.book = book;
        this.netns = netns;
        this.networks = Map.copyOf(networks);
    }

    @Override
    public void joined(Endpoint endpoint, Map<String, List<Endpoint>> networks) throws IOException {
        sync(networks);
    }

    @Override
    public void left(Endpoint endpoint, Map<String, List<Endpoint>> networks) throws IOException {
        sync(networks);
    }

    /**
     * Takes {@code networks} as the current endpoints, starts a server for each container now on a name-resolving
     * network that has none (or whose namespace changed), and stops those of the containers on none any more.
     *
     * @throws IOException if a server could not be started (the others are)
     */
    public synchronized void sync(Map<String, List<Endpoint>> networks) throws IOException {
        this.networks = Map.copyOf(networks);
        Set<String> wanted = new TreeSet<>();
        for (Map.Entry<String, List<Endpoint>> net : networks.entrySet()) {
            if (!book.resolvesNames(net.getKey())) continue;
            for (Endpoint e : net.getValue()) wanted.add(e.containerId());
        }
        for (String id : List.copyOf(served.keySet())) {
            Optional<Path> ns = wanted.contains(id) ? netns.apply(id) : Optional.empty();
            if (ns.isEmpty() || !ns.get().equals(served.get(id))) server.unlisten(served.remove(id));
        }
        List<String> failures = new ArrayList<>();
        IOException first = null;
        for (String id : wanted) {
            if (served.containsKey(id)) continue;
            Optional<Path> ns = netns.apply(id);
            if (ns.isEmpty()) continue;
            try {
                server.listen(ns.get(), name -> resolve(id, name));
                served.put(id, ns.get());
            } catch (IOException e) {
                failures.add(id + ": " + e.getMessage());
                if (first == null) first = e;
            }
        }
        if (first != null) throw new IOException("embedded DNS: " + String.join("; ", failures), first);
    }

    /** The containers with a server, and their namespaces. */
    public synchronized Map<String, Path> served() {
        return Map.copyOf(served);
    }

    /**
     * The addresses {@code name} has for the container: those of the endpoints that answer to it on the name-resolving
     * networks the container is on (networks in name order, no repeats).
     *
     * @param name any case, with or without the trailing dot
     */
    public List<Inet4Address> resolve(String containerId, String name) {
        String wanted = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        wanted = wanted.toLowerCase(Locale.ROOT);
        Set<Inet4Address> out = new LinkedHashSet<>();
        for (Map.Entry<String, List<Endpoint>> net : new TreeMap<>(networks).entrySet()) {
            if (!book.resolvesNames(net.getKey())) continue;
            List<Endpoint> endpoints = net.getValue();
            if (endpoints.stream().noneMatch(e -> e.containerId().equals(containerId))) continue;
            for (Endpoint e : endpoints) {
                if (e.ip() == null || e.ip().isEmpty()) continue;
                for (String n : NameBook.dnsNames(e)) {
                    if (n.toLowerCase(Locale.ROOT).equals(wanted) && InetAddress.ofLiteral(e.ip()) instanceof Inet4Address a) {
                        out.add(a);
                        break;
                    }
                }
            }
        }
        return List.copyOf(out);
    }
}
