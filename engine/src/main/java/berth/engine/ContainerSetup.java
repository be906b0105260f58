package berth.engine;

import berth.engine.spec.CreateRequest;
import berth.engine.spec.HostInfo;
import berth.engine.spec.ImageDefaults;
import berth.engine.spec.MountRequest;
import berth.engine.spec.Mounts;
import berth.engine.spec.NamespacePaths;
import berth.engine.spec.OciMount;
import berth.engine.spec.OciSpecBuilder;
import berth.engine.spec.SpecInputs;
import berth.engine.volumes.Volume;
import berth.engine.volumes.Volumes;
import berth.image.ImageConfig;
import berth.image.ImageService;
import berth.image.ImageStore;
import berth.image.Reference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Making containers: {@code create} (the request checked and merged with the image, volumes made, the
 * record and the init layer written) and, at each start, the OCI bundle (Docker's defaults through
 * {@link OciSpecBuilder}, the volumes readied, the three name files bound in).
 */
public final class ContainerSetup {
    private final ContainerStore store;
    private final ImageService images;
    private final Volumes volumes;
    private final RootFs rootfs;
    private final Events events;
    private final HostInfo host;
    private final Map<String, List<String>> readied = new java.util.concurrent.ConcurrentHashMap<>();

    public ContainerSetup(ContainerStore store, ImageService images, Volumes volumes, RootFs rootfs, Events events, HostInfo host) {
        this.store = store;
        this.images = images;
        this.volumes = volumes;
        this.rootfs = rootfs;
        this.events = events;
        this.host = host;
    }

    public Container create(JsonNode body, String name) {
        CreateRequest req = CreateRequest.parse(body, host);
        String imageRef = req.image();
        if (imageRef == null || imageRef.isEmpty()) throw new EngineException.Invalid("No image specified");
        ImageStore.Image img = images.find(imageRef).orElseThrow(() -> new EngineException.NotFound("No such image: " + familiar(imageRef)));
        ImageConfig.RunConfig imageRun = images.config(img).config();
        Container c = new Container();
        c.id = Names.newId();
        c.name = name == null ? Names.random(store::nameTaken) : Names.checkName(name);
        c.created = Json.time(Instant.now());
        c.image = img.id().toString();
        c.imageName = imageRef;
        c.config = ImageDefaults.merge(req.config(), imageRun);
        c.config.put("Image", imageRef);
        if (c.config.path("Hostname").asText("").isEmpty()) c.config.put("Hostname", c.shortId());
        List<String> cmd = ImageDefaults.command(c.config);
        c.path = cmd.getFirst();
        c.args = new ArrayList<>(cmd.subList(1, cmd.size()));
        c.hostConfig = req.hostConfig();
        c.endpointsConfig = req.networkingConfig() == null ? null : (ObjectNode) req.networkingConfig().get("EndpointsConfig");
        c.driver = images.snapshots().name();
        List<String> imageVolumes = imageRun == null || imageRun.volumes() == null ? List.of() : List.copyOf(imageRun.volumes().keySet());
        c.mountRequests = new ArrayList<>(Mounts.parse(req, imageVolumes)); // anonymous volumes get their names below
        List<String> made = new ArrayList<>();
        try {
            for (int i = 0; i < c.mountRequests.size(); i++) {
                MountRequest m = c.mountRequests.get(i);
                c.mounts.add(mountPoint(c, i, m, made));
            }
            Files.createDirectories(store.dir(c.id));
            rootfs.create(store.dir(c.id));
            store.add(c);
        } catch (IOException | RuntimeException e) {
            for (String v : made) {
                try {
                    volumes.remove(v, true, x -> List.of());
                } catch (RuntimeException ignored) {
                    // best effort: the create failed anyway
                }
            }
            berth.image.snapshot.Tree.delete(store.dir(c.id));
            if (e instanceof IOException io) throw new UncheckedIOException("create " + c.name + ": " + io.getMessage(), io);
            throw (RuntimeException) e;
        }
        events.publish("container", "create", c.id, Containers.attributes(c));
        return c;
    }

    private static String familiar(String ref) {
        try {
            return Reference.parse(ref).familiar();
        } catch (RuntimeException e) {
            return ref;
        }
    }

    /** Makes the volume a request names (a new random one for an anonymous volume) or checks a bind's source. */
    private Container.MountPoint mountPoint(Container c, int index, MountRequest m, List<String> made) throws IOException {
        return switch (m.type()) {
            case VOLUME -> {
                String name = m.source();
                boolean exists = name != null && find(name).isPresent();
                Map<String, String> labels = new HashMap<>(m.volumeLabels());
                if (m.anonymous()) labels.put(Volume.ANONYMOUS_LABEL, "");
                Volume v = volumes.create(name, Volume.LOCAL, labels, Map.of());
                if (!exists) made.add(v.name());
                if (m.anonymous()) {
                    c.mountRequests.set(index, new MountRequest(m.type(), v.name(), m.target(), m.readOnly(), m.propagation(),
                            m.recursive(), m.noCopy(), m.createSource(), m.tmpfsOptions(), m.volumeLabels(), m.mode()));
                }
                yield new Container.MountPoint("volume", v.name(), v.mountpoint(), m.target(), Volume.LOCAL,
                        m.mode() == null || m.mode().isEmpty() ? "z" : m.mode(), !m.readOnly(), "");
            }
            case BIND -> {
                Path src = Path.of(m.source());
                if (!Files.exists(src)) {
                    if (!m.createSource()) {
                        throw new EngineException.Invalid("invalid mount config for type \"bind\": bind source path does not exist: " + src);
                    }
                    Files.createDirectories(src);
                }
                yield new Container.MountPoint("bind", null, m.source(), m.target(), null, m.mode() == null ? "" : m.mode(),
                        !m.readOnly(), m.propagation().isEmpty() ? "rprivate" : m.propagation());
            }
            case TMPFS -> new Container.MountPoint("tmpfs", null, "", m.target(), null, "", !m.readOnly(), "");
        };
    }

    /** Writes {@code bundle/config.json} for a start; readies the volumes (copying image content into new ones). */
    public Path bundle(Container c, Path dir, Path root, Path netns) {
        List<OciMount> mounts = new ArrayList<>();
        List<String> readiedNow = new ArrayList<>();
        readied.put(c.id, readiedNow);
        for (MountRequest m : c.mountRequests) {
            switch (m.type()) {
                case VOLUME -> {
                    Path data = volumes.mount(m.source());
                    readiedNow.add(m.source());
                    if (!m.noCopy() && !c.hasBeenStarted) volumes.copyUp(root, m.target(), data);
                    mounts.add(m.toOci(data.toString()));
                }
                case BIND -> mounts.add(m.toOci(m.source()));
                case TMPFS -> mounts.add(m.toOci(null));
            }
        }
        boolean ro = c.hostConfig.path("ReadonlyRootfs").asBoolean(false);
        mounts.add(OciMount.file(dir.resolve("hostname").toString(), "/etc/hostname", ro));
        mounts.add(OciMount.file(dir.resolve("hosts").toString(), "/etc/hosts", ro));
        mounts.add(OciMount.file(dir.resolve("resolv.conf").toString(), "/etc/resolv.conf", ro));
        CreateRequest req = new CreateRequest(c.config, c.hostConfig, Json.object());
        String pid = containerNamespace(c, "PidMode", "pid");
        String ipc = containerNamespace(c, "IpcMode", "ipc");
        var inputs = new SpecInputs(req, null, c.id, root, ContainerNetworking.hostname(c), mounts,
                new NamespacePaths(netns == null ? null : netns.toString(), pid, ipc), "/berth-" + c.id, List.of(), host);
        ObjectNode spec = OciSpecBuilder.build(inputs);
        Path bundle = dir.resolve("bundle");
        try {
            Files.createDirectories(bundle);
            Json.writeAtomically(bundle.resolve("config.json"), spec);
        } catch (IOException e) {
            throw new UncheckedIOException("write the bundle of " + c.name + ": " + e.getMessage(), e);
        }
        return bundle;
    }

    /** {@code --pid container:x}: that container's namespace. */
    private String containerNamespace(Container c, String field, String ns) {
        String mode = c.hostConfig.path(field).asText("");
        if (!mode.startsWith("container:")) return null;
        Container other = store.get(mode.substring("container:".length()));
        if (!other.state.running()) throw new EngineException.Conflict("cannot join " + ns + " namespace of a non running container: " + other.name);
        return "/proc/" + other.state.pid + "/ns/" + ns;
    }

    /** After the container ended: the volumes readied for it are released. */
    public void release(Container c) {
        List<String> vols = readied.remove(c.id);
        if (vols == null) return;
        for (String v : vols) {
            try {
                volumes.unmount(v);
            } catch (RuntimeException ignored) {
                // a volume removed meanwhile
            }
        }
    }

    /** {@code rm -v} (and {@code --rm}): the container's anonymous volumes go with it. */
    public void removeVolumes(Container c, boolean anonymous) {
        if (!anonymous) return;
        for (Container.MountPoint m : c.mounts) {
            if (!"volume".equals(m.type())) continue;
            Optional<Volume> v = find(m.name());
            if (v.isEmpty() || !v.get().isAnonymous()) continue;
            try {
                volumes.remove(m.name(), true, x -> usersOf(x, c.id));
            } catch (RuntimeException ignored) {
                // in use by another container: it stays, as in Docker
            }
        }
    }

    private Optional<Volume> find(String volume) {
        try {
            return Optional.of(volumes.get(volume));
        } catch (berth.engine.volumes.VolumeException.NotFound e) {
            return Optional.empty();
        }
    }

    /** The other containers that use volume {@code name}. */
    public List<String> usersOf(String name, String except) {
        List<String> out = new ArrayList<>();
        for (Container c : store.all()) {
            if (c.id.equals(except)) continue;
            if (c.mounts.stream().anyMatch(m -> name.equals(m.name()))) out.add(c.id);
        }
        return out;
    }

    public Volumes volumes() {
        return volumes;
    }
}
