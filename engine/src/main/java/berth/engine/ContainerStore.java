package berth.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Every container of this engine, by ID and by name, and their records under {@code <root>/containers}.
 * Lookups accept what Docker accepts: a name with or without its leading slash, a full ID, or an ID prefix
 * that is unique.
 */
public final class ContainerStore {
    private static final String RECORD = "container.json";
    private final Path dir;
    private final Map<String, Container> byId = new ConcurrentHashMap<>();
    private final Map<String, String> idByName = new ConcurrentHashMap<>();

    public ContainerStore(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("create " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Reads every record; a record that cannot be read is reported and skipped. */
    public void load(Consumer<String> warn) {
        try (var entries = Files.list(dir)) {
            for (Path d : (Iterable<Path>) entries::iterator) {
                Path record = d.resolve(RECORD);
                if (!Files.isRegularFile(record)) continue;
                try {
                    Container c = Json.MAPPER.readValue(record.toFile(), Container.class);
                    byId.put(c.id, c);
                    idByName.put(c.name, c.id);
                } catch (IOException e) {
                    warn.accept("skipping container record " + record + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("list " + dir + ": " + e.getMessage(), e);
        }
    }

    public Path dir(String id) {
        return dir.resolve(id);
    }

    /** Registers a new container under its name; a taken name is a conflict, as in Docker. */
    public synchronized void add(Container c) {
        String taken = idByName.get(c.name);
        if (taken != null) {
            throw new EngineException.Conflict("Conflict. The container name \"/" + c.name
                    + "\" is already in use by container \"" + taken + "\". You have to remove (or rename) that container to be able to reuse that name.");
        }
        idByName.put(c.name, c.id);
        byId.put(c.id, c);
        save(c);
    }

    public synchronized void rename(Container c, String newName) {
        String taken = idByName.get(newName);
        if (taken != null) {
            throw new EngineException.Conflict("Conflict. The container name \"/" + newName
                    + "\" is already in use by container \"" + taken + "\". You have to remove (or rename) that container to be able to reuse that name.");
        }
        idByName.remove(c.name);
        c.name = newName;
        idByName.put(newName, c.id);
        save(c);
    }

    public boolean nameTaken(String name) {
        return idByName.containsKey(name);
    }

    public void save(Container c) {
        Json.writeAtomically(dir(c.id).resolve(RECORD), c);
    }

    public synchronized void remove(Container c) {
        byId.remove(c.id);
        idByName.remove(c.name, c.id);
    }

    public Collection<Container> all() {
        return new ArrayList<>(byId.values());
    }

    /** The container called {@code ref}, or a 404 "No such container". */
    public Container get(String ref) {
        return find(ref).orElseThrow(() -> new EngineException.NotFound("No such container: " + ref));
    }

    public Optional<Container> find(String ref) {
        if (ref == null || ref.isEmpty()) return Optional.empty();
        String name = ref.startsWith("/") ? ref.substring(1) : ref;
        Container c = byId.get(ref);
        if (c != null) return Optional.of(c);
        String id = idByName.get(name);
        if (id != null) return Optional.ofNullable(byId.get(id));
        if (!ref.matches("[0-9a-f]+")) return Optional.empty();
        List<Container> matches = byId.values().stream().filter(x -> x.id.startsWith(ref)).toList();
        if (matches.size() > 1) {
            throw new EngineException.Invalid("Multiple IDs found with provided prefix: " + ref);
        }
        return matches.stream().findFirst();
    }
}
