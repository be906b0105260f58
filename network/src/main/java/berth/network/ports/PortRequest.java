package berth.network.ports;

import berth.network.PortMapping;

import java.util.function.IntPredicate;

/**
 * One container port to publish, as {@code -p} asked for it: a fixed host port, any free one ({@code 0}), or, for
 * {@code -p 8000-8010:80}, any free one in a range (Docker picks one when the container starts).
 *
 * @param hostIp        the host address to bind, or null for every address
 * @param hostPortFirst the host port, or the first of the range; 0 for any free port
 * @param hostPortLast  equal to {@code hostPortFirst} unless a range was given
 * @param containerPort the port inside the container
 * @param protocol      {@code tcp}, {@code udp} or {@code sctp}
 */
public record PortRequest(String hostIp, int hostPortFirst, int hostPortLast, int containerPort, String protocol) {
    public PortRequest {
        if (!"tcp".equals(protocol) && !"udp".equals(protocol) && !"sctp".equals(protocol)) {
            throw new IllegalArgumentException("invalid protocol \"" + protocol + "\": tcp, udp or sctp");
        }
        if (containerPort < 1 || containerPort > 65535) throw new IllegalArgumentException("invalid container port " + containerPort);
        if (hostPortFirst < 0 || hostPortLast > 65535 || hostPortFirst > hostPortLast || (hostPortFirst == 0 && hostPortLast != 0)) {
            throw new IllegalArgumentException("invalid host port range " + hostPortFirst + "-" + hostPortLast);
        }
    }

    public static PortRequest of(PortMapping m) {
        return new PortRequest(m.hostIp(), m.hostPort(), m.hostPort(), m.containerPort(), m.protocol());
    }

    /** The host port is one of a range, to be chosen when the container starts. */
    public boolean isHostRange() {
        return hostPortFirst != hostPortLast;
    }

    /** Docker's name of the container port, {@code 80/tcp}. */
    public String port() {
        return containerPort + "/" + protocol;
    }

    /**
     * The mapping for attach.
     *
     * @throws IllegalStateException for a host range: use {@link #choose}
     */
    public PortMapping toMapping() {
        if (isHostRange()) {
            throw new IllegalStateException("host port range " + hostPortFirst + "-" + hostPortLast + " for " + port()
                    + ": a port must be chosen first");
        }
        return new PortMapping(hostIp, hostPortFirst, containerPort, protocol);
    }

    /**
     * The mapping with the first host port of the range that {@code free} accepts (for a single port: that port,
     * unasked).
     *
     * @throws IllegalStateException if no port in the range is free, in one line
     */
    public PortMapping choose(IntPredicate free) {
        if (!isHostRange()) return toMapping();
        for (int p = hostPortFirst; p <= hostPortLast; p++) {
            if (free.test(p)) return new PortMapping(hostIp, p, containerPort, protocol);
        }
        throw new IllegalStateException("no free host port in " + hostPortFirst + "-" + hostPortLast + " for " + port());
    }
}
