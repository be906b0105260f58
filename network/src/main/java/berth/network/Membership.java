package berth.network;

import java.util.List;
import java.util.Map;

/**
 * Told when a container joins or leaves a network, with every network's endpoints as they are afterwards
 * (keyed by network name). The names layer's {@code HostsUpdater} is one: it rewrites the hosts files of the
 * containers that can now (or can no longer) resolve the one that moved.
 */
public interface Membership {
    void joined(Endpoint endpoint, Map<String, List<Endpoint>> networks) throws Exception;

    void left(Endpoint endpoint, Map<String, List<Endpoint>> networks) throws Exception;

    /** Tells each of {@code listeners} in turn (the hosts files and the DNS server, say). */
    static Membership all(List<Membership> listeners) {
        List<Membership> copy = List.copyOf(listeners);
        return new Membership() {
            @Override
            public void joined(Endpoint endpoint, Map<String, List<Endpoint>> networks) throws Exception {
                for (Membership m : copy) m.joined(endpoint, networks);
            }

            @Override
            public void left(Endpoint endpoint, Map<String, List<Endpoint>> networks) throws Exception {
                for (Membership m : copy) m.left(endpoint, networks);
            }
        };
    }

    Membership NONE = new Membership() {
        @Override
        public void joined(Endpoint endpoint, Map<String, List<Endpoint>> networks) {}

        @Override
        public void left(Endpoint endpoint, Map<String, List<Endpoint>> networks) {}
    };
}
