package berth.network;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A UDP echo server for the tests (busybox's nc here has no UDP): answers every datagram with "echo:"
 * and the datagram. Started inside a namespace with {@code ip netns exec NS java -cp ... berth.network.UdpEcho PORT}.
 */
public final class UdpEcho {
    private UdpEcho() {}

    public static void main(String[] args) throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(Integer.parseInt(args[0])))) {
            byte[] buf = new byte[2048];
            while (true) {
                DatagramPacket in = new DatagramPacket(buf, buf.length);
                s.receive(in);
                byte[] reply = ("echo:" + new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                s.send(new DatagramPacket(reply, reply.length, in.getSocketAddress()));
            }
        }
    }
}
