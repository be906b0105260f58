package berth.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The stored networks: {@code <dir>/<id>.json}, one {@link Network} each, replaced atomically. */
final class NetworkStore {
    private final Path dir;

    NetworkStore(Path dir) {
        this.dir = dir;
    }

    void put(Network n) {
        StoreFiles.write(dir.resolve(n.id() + ".json"), n);
    }

    void remove(String id) {
        StoreFiles.delete(dir.resolve(id + ".json"));
    }

    /** Every network, oldest first. */
    List<Network> list() {
        List<Network> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, StoreFiles::isRecord)) {
            for (Path f : ds) StoreFiles.read(f, Network.class).ifPresent(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException("list " + dir + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(Network::created).thenComparing(Network::name));
        return out;
    }
}
