package berth.engine.volumes;

import berth.sys.MountInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import berth.engine.archive.InRoot;
import berth.network.StoreFiles;
import berth.sys.SysException;
import berth.sys.Syscalls;

/**
 * Docker's {@code local} volume driver: each volume is a directory {@code <volumes>/<name>/} holding the data
 * directory {@code _data} and {@code meta.json} (labels, driver options, creation time), written to a
 * temporary file, fsynced and renamed, and written last: a directory without it is no volume. A volume with
 * the driver options {@code type} and {@code device} (and {@code o}) is mounted at {@code _data} while
 * containers use it ({@link #mount}/{@link #unmount}, counted); a plain one is just its directory.
 *
 * <p>The daemon knows which containers use which volume; every call that needs it takes {@code users}: a
 * function from a volume name to the IDs of the containers that use it (empty if none). Errors are
 * {@link VolumeException}s with Docker's wording. One instance per volumes directory; its methods are safe to
 * call from several threads.
 */
public final class Volumes {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    private static final String NAME_CHARS = "[a-zA-Z0-9][a-zA-Z0-9_.-]";
    private static final Set<String> OPTIONS = Set.of("type", "o", "device", "size");
    private static final String DATA = "_data", META = "meta.json";
    private static final int MNT_DETACH = 2;
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** What {@code meta.json} holds. */
    record Meta(@JsonProperty("CreatedAt") String createdAt, @JsonProperty("Labels") Map<String, String> labels,
                @JsonProperty("Options") Map<String, String> options) {}

    private final Path dir;
    private final Syscalls sys;
    private final SecureRandom random = new SecureRandom();
    /** Volumes mounted at their {@code _data}, and how many of the daemon's mounts use each. */
    private final Set<String> mounted = new HashSet<>();
    private final Map<String, Integer> activeMounts = new HashMap<>();

    /**
     * Opens (creating it if needed) the volumes directory. A volume that needs mounting and is still mounted
     * (the daemon restarted while containers ran) counts as mounted, with no users until {@link #mount}.
     */
    public Volumes(Path volumesDir, Syscalls sys) {
        this.dir = volumesDir.toAbsolutePath();
        this.sys = sys;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new VolumeException("create volumes directory " + dir + ": " + e.getMessage(), e);
        }
        for (Volume v : all()) {
            if (v.needsMount() && MountInfo.isMountPoint(data(v.name()))) mounted.add(v.name());
        }
    }

    /**
     * Creates a volume, or returns the existing one of that name unchanged, as Docker does whatever labels and
     * options the second request has.
     *
     * @param name       null or empty for an anonymous volume: 64 random hex digits, labelled
     *                   {@value Volume#ANONYMOUS_LABEL}
     * @param driver     null, empty or {@code local}
     * @param driverOpts {@code type}, {@code device}, {@code o} (e.g. {@code type=tmpfs,device=tmpfs,o=size=100m}
     *                   or {@code type=none,device=/srv/x,o=bind}); stored, used by {@link #mount}
     */
    public synchronized Volume create(String name, String driver, Map<String, String> labels, Map<String, String> driverOpts) {
        Map<String, String> allLabels = new LinkedHashMap<>(labels == null ? Map.of() : labels);
        if (name == null || name.isEmpty()) {
            byte[] id = new byte[32];
            random.nextBytes(id);
            name = HexFormat.of().formatHex(id);
            allLabels.put(Volume.ANONYMOUS_LABEL, "");
        }
        if (driver != null && !driver.isEmpty() && !driver.equals(Volume.LOCAL)) {
            throw new VolumeException.NotFound("create " + name + ": error looking up volume plugin " + driver + ": plugin \"" + driver + "\" not found");
        }
        validateName(name);
        Map<String, String> options = driverOpts == null ? Map.of() : driverOpts;
        validateOptions(name, options);
        Volume existing = find(name);
        if (existing != null) return existing;
        Path volumeDir = dir.resolve(name);
        try {
            if (Files.exists(volumeDir, LinkOption.NOFOLLOW_LINKS)) deleteTree(name); // left by a create or remove that did not finish
            Files.createDirectory(volumeDir);
            sys.lchmod(volumeDir.toString(), 0701);
            Files.createDirectory(data(name));
            sys.lchmod(data(name).toString(), 0755);
            Meta meta = new Meta(DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS)), allLabels, options);
            StoreFiles.writeAtomically(volumeDir.resolve(META), JSON.writeValueAsBytes(meta), true);
            return volume(name, meta);
        } catch (IOException | UncheckedIOException | SysException e) {
            throw new VolumeException("create " + name + ": " + e.getMessage(), e);
        }
    }

    /** @throws VolumeException.NotFound "get NAME: no such volume" */
    public synchronized Volume get(String name) {
        Volume v = find(name);
        if (v == null) throw new VolumeException.NotFound("get " + name + ": no such volume");
        return v;
    }

    /** The volumes that pass {@code filters} ({@code name}, {@code label}, {@code driver}, {@code dangling}), by name. */
    public synchronized List<Volume> list(Map<String, List<String>> filters, Function<String, List<String>> users) {
        VolumeFilters f = VolumeFilters.forList(filters);
        return all().stream().filter(v -> f.matches(v, !users.apply(v.name()).isEmpty())).toList();
    }

    /**
     * Removes a volume and its data, unmounting it first if it is mounted from elsewhere.
     *
     * @param force a missing volume is then no error (a volume in use still is, as in Docker)
     * @throws VolumeException.Conflict "remove NAME: volume is in use - [ID, ...]"
     */
    public synchronized void remove(String name, boolean force, Function<String, List<String>> users) {
        Volume v = find(name);
        if (v == null) {
            if (force) return;
            throw new VolumeException.NotFound("get " + name + ": no such volume");
        }
        List<String> refs = users.apply(name);
        if (!refs.isEmpty()) throw new VolumeException.Conflict("remove " + name + ": volume is in use - [" + String.join(", ", refs) + "]");
        if (activeMounts.getOrDefault(name, 0) > 0) throw new VolumeException.Conflict("remove " + name + ": volume has active mounts");
        try {
            if (mounted.contains(name)) {
                sys.umount(data(name).toString(), 0);
                mounted.remove(name);
            }
            deleteTree(name);
        } catch (IOException | UncheckedIOException | SysException e) {
            throw new VolumeException("remove " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Removes the volumes no container uses that pass {@code filters} ({@code label}, {@code label!},
     * {@code all}). As in Docker (API 1.42 and later) only anonymous volumes are candidates unless
     * {@code all=true}, and volumes mounted from elsewhere (with driver options) never are.
     */
    public synchronized PruneReport prune(Map<String, List<String>> filters, Function<String, List<String>> users) {
        VolumeFilters f = VolumeFilters.forPrune(filters);
        List<String> removed = new ArrayList<>();
        long reclaimed = 0;
        for (Volume v : all()) {
            if (!v.options().isEmpty() || !users.apply(v.name()).isEmpty() || !f.matches(v, false)) continue;
            long size = size(data(v.name()));
            remove(v.name(), false, users);
            removed.add(v.name());
            reclaimed += Math.max(0, size);
        }
        return new PruneReport(removed, reclaimed);
    }

    /** {@code v} with its {@link Volume.UsageData}: the bytes in it (-1 for one mounted from elsewhere) and its users. */
    public Volume withUsage(Volume v, Function<String, List<String>> users) {
        long size = v.needsMount() ? -1 : size(data(v.name()));
        return new Volume(v.name(), v.driver(), v.mountpoint(), v.createdAt(), v.labels(), v.scope(), v.options(),
                new Volume.UsageData(size, users.apply(v.name()).size()));
    }

    /**
     * Readies a volume for a container and returns its data directory: a volume with driver options is
     * mounted there by the first such call; each call must be paired with one {@link #unmount}.
     */
    public synchronized Path mount(String name) {
        Volume v = get(name);
        Path data = data(name);
        if (!v.needsMount()) return data;
        if (!mounted.contains(name)) {
            mountData(v, data);
            mounted.add(name);
        }
        activeMounts.merge(name, 1, Integer::sum);
        return data;
    }

    /** Ends one {@link #mount}; the last one unmounts a volume mounted from elsewhere. */
    public synchronized void unmount(String name) {
        Volume v = get(name);
        if (!v.needsMount()) return;
        int left = activeMounts.getOrDefault(name, 0) - 1;
        if (left > 0) {
            activeMounts.put(name, left);
            return;
        }
        activeMounts.remove(name);
        if (!mounted.remove(name)) return;
        try {
            sys.umount(data(name).toString(), 0);
        } catch (SysException e) {
            mounted.add(name);
            throw new VolumeException("unmount " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Pre-populates a new volume from the image, as Docker does when a volume is first mounted over a path
     * that exists in the image: if {@code containerPath} (resolved inside {@code rootfs}, links followed as
     * the container would) is a directory and {@code volumeData} is empty, copies everything in it with owners,
     * modes, times and extended attributes, and the directory's own metadata onto {@code volumeData}.
     *
     * @return whether anything was copied
     */
    public boolean copyUp(Path rootfs, String containerPath, Path volumeData) {
        try {
            Path source = new InRoot(rootfs).resolve(containerPath, true).host();
            if (!Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) return false;
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(volumeData)) {
                if (ds.iterator().hasNext()) return false;
            }
            new TreeCopy(sys).copyDirectory(source, volumeData);
            return true;
        } catch (IOException | SysException e) {
            throw new VolumeException("copy " + containerPath + " from the image into volume " + volumeData + ": " + e.getMessage(), e);
        }
    }

    private void mountData(Volume v, Path data) {
        String device = v.options().getOrDefault("device", "");
        if (device.isEmpty()) throw new VolumeException("mount " + v.name() + ": missing device in volume options");
        MountOptions o = MountOptions.parse(v.options().get("o"));
        String target = data.toString();
        try {
            sys.mount(device, target, v.options().getOrDefault("type", ""), o.flags(), o.data());
        } catch (SysException e) {
            throw new VolumeException("mount " + v.name() + ": failed to mount local volume: " + e.getMessage(), e);
        }
        try {
            if (o.propagation() != 0) sys.mount("none", target, "", o.propagation(), null);
            if (o.needsReadOnlyRemount()) sys.mount("none", target, "", o.flags() | MountOptions.MS_REMOUNT, null);
        } catch (SysException e) {
            sys.umount(target, MNT_DETACH);
            throw new VolumeException("mount " + v.name() + ": failed to mount local volume: " + e.getMessage(), e);
        }
    }

    private Path data(String name) {
        return dir.resolve(name).resolve(DATA);
    }

    /** The volume of that name, or null; a name that is not a valid volume name names none. */
    private Volume find(String name) {
        if (name == null || !NAME.matcher(name).matches()) return null;
        Path meta = dir.resolve(name).resolve(META);
        try {
            return volume(name, JSON.readValue(Files.readAllBytes(meta), Meta.class));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new VolumeException("read volume " + name + ": " + e.getMessage(), e);
        }
    }

    private List<Volume> all() {
        List<Volume> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                Volume v = find(p.getFileName().toString());
                if (v != null) out.add(v);
            }
        } catch (IOException e) {
            throw new VolumeException("list volumes in " + dir + ": " + e.getMessage(), e);
        }
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    private Volume volume(String name, Meta meta) {
        return new Volume(name, Volume.LOCAL, data(name).toString(), meta.createdAt(),
                meta.labels() == null ? Map.of() : meta.labels(), "local", meta.options() == null ? Map.of() : meta.options(), null);
    }

    /** Removes a volume's directory, {@code meta.json} first; refuses while its data directory is a mount point. */
    private void deleteTree(String name) throws IOException {
        if (MountInfo.isMountPoint(data(name))) throw new IOException("its data directory " + data(name) + " is still a mount point");
        Files.deleteIfExists(dir.resolve(name).resolve(META));
        try {
            berth.image.snapshot.Tree.delete(dir.resolve(name)); // links are not followed
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Bytes of the non-directories below {@code p}, each inode once, as Docker's {@code directory.Size}; -1 if unreadable. */
    private static long size(Path p) {
        long[] total = {0};
        Set<Object> seen = new HashSet<>();
        try {
            Files.walkFileTree(p, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.size() > 0 && seen.add(attrs.fileKey())) total[0] += attrs.size();
                    return FileVisitResult.CONTINUE;
                }
            });
            return total[0];
        } catch (IOException e) {
            return -1;
        }
    }

    private static void validateName(String name) {
        if (name.length() == 1) {
            throw new VolumeException.Invalid("create " + name + ": volume name is too short, names should be at least two alphanumeric characters");
        }
        if (!NAME.matcher(name).matches()) {
            throw new VolumeException.Invalid("create " + name + ": \"" + name + "\" includes invalid characters for a local volume name, only \""
                    + NAME_CHARS + "\" are allowed. If you intended to pass a host directory, use absolute path");
        }
    }

    private static void validateOptions(String name, Map<String, String> options) {
        for (String key : options.keySet()) {
            if (!OPTIONS.contains(key)) throw new VolumeException.Invalid("create " + name + ": invalid option: \"" + key + "\"");
        }
        if (options.containsKey("size")) {
            throw new VolumeException.Invalid("create " + name + ": quota size requested but no quota support");
        }
        if (options.containsKey("device") && !options.containsKey("type")) missing(name, "type");
        if (options.containsKey("type") && !options.containsKey("device")) missing(name, "device");
        if (options.containsKey("o") && !options.containsKey("device")) missing(name, "device");
    }

    private static void missing(String name, String option) {
        throw new VolumeException.Invalid("create " + name + ": missing required option: \"" + option + "\"");
    }
}
