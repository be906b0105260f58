package berth.network.names;

import berth.network.Endpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Keeps the hosts files of running containers up to date as endpoints join and leave networks, so that a container
 * started later becomes resolvable by those already running, and one that leaves stops being resolvable.
 *
 * <p>The networks service calls {@link #onJoin} after an attach and {@link #onLeave} after a detach, passing the
 * endpoints of every network as they are after the change; the updater queries nothing. What it needs to know of a
 * container (where its hosts file is, its hostname, {@code --add-host} entries and links) comes from the
 * {@code targets} function, which answers empty for containers whose hosts file berth does not keep (gone, not
 * started, or in the host's network namespace).
 *
 * <p>A file is rewritten only when its content changes. One update's writes are serialised with every other's.
 */
public final class HostsUpdater implements berth.network.Membership {
    /**
     * A container whose hosts file berth keeps.
     *
     * @param hostsFile the file bind-mounted as the container's {@code /etc/hosts}
     * @param config    its hostname, domain name and {@code --add-host} entries
     * @param links     its legacy links
     */
    public record Target(Path hostsFile, HostsConfig config, List<Link> links) {
        public Target {
            Objects.requireNonNull(hostsFile, "hostsFile");
            Objects.requireNonNull(config, "config");
            links = links == null ? List.of() : List.copyOf(links);
        }
    }

    private final NameBook book;
    private final Function<String, Optional<Target>> targets;

    public HostsUpdater(NameBook book, Function<String, Optional<Target>> targets) {
        this.book = book;
        this.targets = targets;
    }

    /**
     * After {@code joined} was attached: rewrites the joining container's file (its new address, and the names on the
     * network it joined) and those of every other container on that network (the newcomer's names, or on the default
     * network, a link to it).
     *
     * @param networks every network's endpoints, {@code joined} included
     * @return the IDs of the containers whose file changed
     */
    public synchronized List<String> onJoin(Endpoint joined, Map<String, List<Endpoint>> networks) throws IOException {
        return update(affected(joined, networks), networks);
    }

    /**
     * After {@code left} was detached: rewrites the leaving container's file (if it still has one) and those of every
     * container still on that network.
     *
     * @param networks every network's endpoints, {@code left} no longer among them
     * @return the IDs of the containers whose file changed
     */
    /** {@link berth.network.Membership}: {@link #onJoin}. */
    @Override
    public void joined(Endpoint endpoint, Map<String, List<Endpoint>> networks) throws IOException {
        onJoin(endpoint, networks);
    }

    /** {@link berth.network.Membership}: {@link #onLeave}. */
    @Override
    public void left(Endpoint endpoint, Map<String, List<Endpoint>> networks) throws IOException {
        onLeave(endpoint, networks);
    }

    public synchronized List<String> onLeave(Endpoint left, Map<String, List<Endpoint>> networks) throws IOException {
        return update(affected(left, networks), networks);
    }

    /** Rewrites the file of every container on {@code network}. */
    public synchronized List<String> refresh(String network, Map<String, List<Endpoint>> networks) throws IOException {
        Set<String> ids = new TreeSet<>();
        for (Endpoint e : networks.getOrDefault(network, List.of())) ids.add(e.containerId());
        return update(ids, networks);
    }

    /**
     * Rewrites one container's file, e.g. when it starts (before its process runs) or its links change. A container
     * on no network ({@code --net none}) gets the loopback block, its extra hosts and its own name without address.
     */
    public synchronized List<String> refreshContainer(String containerId, Map<String, List<Endpoint>> networks) throws IOException {
        return update(Set.of(containerId), networks);
    }

    /** Rewrites the file of every container on any network, e.g. when berth starts. */
    public synchronized List<String> refreshAll(Map<String, List<Endpoint>> networks) throws IOException {
        return update(NameBook.containers(networks), networks);
    }

    private static Set<String> affected(Endpoint changed, Map<String, List<Endpoint>> networks) {
        Set<String> ids = new TreeSet<>();
        ids.add(changed.containerId());
        for (Endpoint e : networks.getOrDefault(changed.network(), List.of())) ids.add(e.containerId());
        return ids;
    }

    /** Writes every container's file that changed, goes on past failures, and reports them all in one exception. */
    private List<String> update(Set<String> containerIds, Map<String, List<Endpoint>> networks) throws IOException {
        List<String> written = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        IOException first = null;
        for (String id : containerIds) {
            Optional<Target> target = targets.apply(id);
            if (target.isEmpty()) continue;
            Target t = target.get();
            String content = book.hostsFile(id, t.config(), t.links(), networks);
            try {
                if (content.equals(HostsFile.read(t.hostsFile()))) continue;
                HostsFile.write(t.hostsFile(), content);
                written.add(id);
            } catch (IOException e) {
                failures.add("container " + NameBook.shortId(id) + ": " + e.getMessage());
                if (first == null) first = e;
            }
        }
        if (first != null) {
            throw new IOException("update hosts files: " + String.join("; ", failures), first);
        }
        return written;
    }
}
