package berth.network;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Picks a subnet for a network created without one, as Docker's default address pools do: the first of
 * 172.17.0.0/16 ... 172.31.0.0/16, then 192.168.0.0/20, 192.168.16.0/20 ... 192.168.240.0/20, that overlaps
 * nothing taken (host routes, other networks).
 */
final class SubnetChooser {
    static final List<Ipv4Subnet> CANDIDATES = candidates();

    private SubnetChooser() {}

    private static List<Ipv4Subnet> candidates() {
        List<Ipv4Subnet> out = new ArrayList<>();
        for (int second = 17; second <= 31; second++) out.add(new Ipv4Subnet((172 << 24) | (second << 16), 16));
        for (int third = 0; third < 256; third += 16) out.add(new Ipv4Subnet((192 << 24) | (168 << 16) | (third << 8), 20));
        return List.copyOf(out);
    }

    /** The first candidate that overlaps none of {@code taken}; Conflict when all are taken. */
    static Ipv4Subnet choose(Collection<Ipv4Subnet> taken) {
        for (Ipv4Subnet c : CANDIDATES) {
            if (taken.stream().noneMatch(c::overlaps)) return c;
        }
        throw new NetworkException.Conflict("could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network");
    }
}
