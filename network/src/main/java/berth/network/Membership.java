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

    Membership NONE = new Membership() {
        @Override
        public void joined(Endpoint endpoint, Map<String, List<Endpoint>> networks) {}

        @Override
        public void left(Endpoint endpoint, Map<String, List<Endpoint>> networks) {}
    };
}
