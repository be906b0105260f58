package berth.network;

/**
 * A published port: {@code hostIp:hostPort -> containerPort/protocol}. {@code hostIp} null means every host
 * address; {@code hostPort} 0 asks for a free port, which attach fills in.
 */
public record PortMapping(String hostIp, int hostPort, int containerPort, String protocol) {
    public PortMapping {
        if (!"tcp".equals(protocol) && !"udp".equals(protocol) && !"sctp".equals(protocol)) {
            throw new IllegalArgumentException("invalid protocol \"" + protocol + "\": tcp, udp or sctp");
        }
        if (containerPort < 1 || containerPort > 65535) throw new IllegalArgumentException("invalid container port " + containerPort);
        if (hostPort < 0 || hostPort > 65535) throw new IllegalArgumentException("invalid host port " + hostPort);
    }

    public PortMapping withHostPort(int port) {
        return new PortMapping(hostIp, port, containerPort, protocol);
    }
}
