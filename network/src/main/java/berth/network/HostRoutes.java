package berth.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The host's IPv4 routes of the main table, read from {@code /proc/net/route} (or a copy, in tests). The
 * file's destination and mask columns are hexadecimal in the host's byte order (little endian here).
 */
final class HostRoutes {
    /** A route: the interface and the destination subnet. */
    record Route(String iface, Ipv4Subnet destination) {}

    private final Path file;

    HostRoutes(Path file) {
        this.file = file;
    }

    /** Every route but default ones (destination 0.0.0.0/0). */
    List<Route> list() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("read " + file + ": " + e.getMessage(), e);
        }
        List<Route> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).trim().split("\\s+");
            if (f.length < 8) continue;
            try {
                int dest = Integer.reverseBytes(Integer.parseUnsignedInt(f[1], 16));
                int mask = Integer.reverseBytes(Integer.parseUnsignedInt(f[7], 16));
                if (mask == 0) continue;
                int prefix = Integer.bitCount(mask);
                if (Ipv4Subnet.mask(prefix) != mask) continue;
                out.add(new Route(f[0], new Ipv4Subnet(dest & mask, prefix)));
            } catch (IllegalArgumentException ignored) {
                // a line we do not understand
            }
        }
        return out;
    }
}
