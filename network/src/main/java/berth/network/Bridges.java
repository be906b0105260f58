package berth.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Linux bridges of berth's networks. A network's bridge is made when the network is, with the gateway
 * address on it (as Docker does), so that its subnet shows in the host's routes and other programs choosing
 * subnets avoid it; the bridge plugin then finds it ready. Bridges are listed from {@code /sys/class/net}.
 */
final class Bridges {
    private final Commands cmds;
    private final Path sysClassNet;

    Bridges(Commands cmds, Path sysClassNet) {
        this.cmds = cmds;
        this.sysClassNet = sysClassNet;
    }

    boolean exists(String name) {
        return Files.exists(sysClassNet.resolve(name));
    }

    /** Makes the bridge (unless it exists) with {@code gateway/prefix} on it, and sets it up. */
    void create(String name, String gateway, int prefix) {
        StringBuilder batch = new StringBuilder();
        if (!exists(name)) batch.append("link add name ").append(name).append(" type bridge\n");
        batch.append("addr replace ").append(gateway).append('/').append(prefix).append(" dev ").append(name).append('\n');
        batch.append("link set dev ").append(name).append(" up\n");
        cmds.checkWithInput(batch.toString(), "ip", "-batch", "-");
    }

    /** Deletes the bridge; one that is gone already is fine. */
    void delete(String name) {
        if (!exists(name)) return;
        Commands.Result r = cmds.run(List.of("ip", "link", "delete", "dev", name), null);
        if (!r.ok() && exists(name)) {
            throw new NetworkException("ip link delete dev " + name + ": " + r.stderr().strip());
        }
    }

    /** The names of bridges whose names start with {@code namePrefix}. */
    List<String> list(String namePrefix) {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(sysClassNet)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(sysClassNet, namePrefix + "*")) {
            for (Path p : ds) if (Files.isDirectory(p.resolve("bridge"))) out.add(p.getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("list " + sysClassNet + ": " + e.getMessage(), e);
        }
        return out;
    }
}
