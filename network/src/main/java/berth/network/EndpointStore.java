package berth.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The attachments: {@code <dir>/<networkId>/<containerId>.json}, one {@link EndpointRecord} each (a
 * container is on a network at most once), replaced atomically.
 */
final class EndpointStore {
    private final Path dir;

    EndpointStore(Path dir) {
        this.dir = dir;
    }

    private Path file(String networkId, String containerId) {
        return dir.resolve(networkId).resolve(containerId + ".json");
    }

    void put(EndpointRecord r) {
        StoreFiles.write(file(r.networkId(), r.containerId()), r);
    }

    Optional<EndpointRecord> get(String networkId, String containerId) {
        return StoreFiles.read(file(networkId, containerId), EndpointRecord.class);
    }

    void remove(String networkId, String containerId) {
        StoreFiles.delete(file(networkId, containerId));
    }

    /** The network's directory goes with the network. */
    void removeNetwork(String networkId) {
        StoreFiles.deleteTree(dir.resolve(networkId));
    }

    /** The records of one network, in the order they were created. */
    List<EndpointRecord> list(String networkId) {
        List<EndpointRecord> out = new ArrayList<>();
        Path d = dir.resolve(networkId);
        if (!Files.isDirectory(d)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(d, StoreFiles::isRecord)) {
            for (Path f : ds) StoreFiles.read(f, EndpointRecord.class).ifPresent(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException("list " + d + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(EndpointRecord::created));
        return out;
    }

    /** Every record of every network. */
    List<EndpointRecord> all() {
        List<EndpointRecord> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, Files::isDirectory)) {
            for (Path d : ds) out.addAll(list(d.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("list " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }
}
