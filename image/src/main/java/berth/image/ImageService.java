package berth.image;

import berth.image.content.ContentStore;
import berth.image.layer.Compression;
import berth.image.layer.LayerUnpacker;
import berth.image.registry.RegistryClient;
import berth.image.snapshot.ChainIds;
import berth.image.snapshot.Mounter;
import berth.image.snapshot.Snapshotter;
import berth.image.snapshot.Snapshotters;
import berth.sys.Syscalls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * berth's images, in one place for the CLI and (later) the daemon: the content store, the image records,
 * the snapshots, and the operations over them. Layout under {@code root}: {@code content/},
 * {@code images/}, {@code snapshots/} (architecture.md).
 */
public final class ImageService {
    private final Path root;
    private final ContentStore content;
    private final ImageStore images;
    private final Snapshotter snapshots;
    private final LayerUnpacker unpacker;
    private final Gc gc;

    public ImageService(Path root, Syscalls sys, String storageDriver) {
        this.root = root;
        this.content = new ContentStore(root.resolve("content"));
        this.images = new ImageStore(root.resolve("images"));
        this.snapshots = Snapshotters.open(root.resolve("snapshots"), storageDriver, new Mounter(sys));
        this.unpacker = new LayerUnpacker(sys);
        this.gc = new Gc(root);
    }

    public Path root() {
        return root;
    }

    public ContentStore content() {
        return content;
    }

    public ImageStore images() {
        return images;
    }

    public Snapshotter snapshots() {
        return snapshots;
    }

    LayerUnpacker unpacker() {
        return unpacker;
    }

    Gc gc() {
        return gc;
    }

    /** Clears what a crash can leave: old partial downloads and half-unpacked snapshots. */
    public void recover() {
        content.cleanIngest(Duration.ofDays(1));
        snapshots.cleanup();
    }

    /** The image named by ID, short ID, or reference; NotFound says so in Docker's words. */
    public ImageStore.Image get(String nameOrId) {
        return images.find(nameOrId).orElseThrow(() -> new ImageException.NotFound("No such image: " + nameOrId));
    }

    public Optional<ImageStore.Image> find(String nameOrId) {
        return images.find(nameOrId);
    }

    public List<ImageStore.Image> list() {
        return images.list();
    }

    public Manifest manifest(ImageStore.Image img) {
        return ImageJson.read(content.read(img.manifest()), Manifest.class, "manifest " + img.manifest());
    }

    public ImageConfig config(ImageStore.Image img) {
        return ImageJson.read(content.read(img.id()), ImageConfig.class, "image config " + img.id());
    }

    public byte[] configBytes(ImageStore.Image img) {
        return content.read(img.id());
    }

    /** The chain ID of the image's top layer, or null for an image without layers. */
    public Digest topChain(ImageStore.Image img) {
        return topChain(config(img));
    }

    /** {@link #topChain(ImageStore.Image)} for a config already read. */
    public Digest topChain(ImageConfig config) {
        List<Digest> chain = ChainIds.of(config.diffIds());
        return chain.isEmpty() ? null : chain.getLast();
    }

    /** The unpacked size of every layer, as {@code images} and {@code inspect} report it. */
    public long size(ImageStore.Image img) {
        return size(config(img));
    }

    /** {@link #size(ImageStore.Image)} for a config already read. */
    public long size(ImageConfig config) {
        long total = 0;
        for (Digest c : ChainIds.of(config.diffIds())) total += snapshots.size(c);
        return total;
    }

    public ImageStore.Image tag(String source, String target) {
        ImageStore.Image img = get(source);
        Reference ref = Reference.parse(target);
        if (ref.digest() != null) throw new IllegalArgumentException("refusing to create a tag with a digest reference");
        return images.tag(img.id(), ref);
    }

    /** One line of what {@link #remove} did, as Docker prints it. */
    public record Removal(String kind, String what) {
        @Override
        public String toString() {
            return kind + ": " + what;
        }
    }

    /**
     * {@code rmi}: a reference untags (the image goes when its last tag does); an ID removes the image, which
     * must then have at most one repository unless {@code force}. Unused content is collected afterwards.
     */
    public List<Removal> remove(String nameOrId, boolean force) {
        ImageStore.Image img = get(nameOrId);
        List<Removal> out = new ArrayList<>();
        boolean byId = isIdReference(nameOrId, img);
        if (!byId) {
            Reference ref = Reference.parse(nameOrId);
            if (ref.digest() == null) {
                ImageStore.Image after = images.untag(ref).orElse(img);
                out.add(new Removal("Untagged", ref.familiar()));
                if (!after.repoTags().isEmpty()) return out;
                img = after;
            }
        } else if (!force && img.repoTags().stream().map(t -> Reference.parse(t).name()).distinct().count() > 1) {
            throw new ImageException.Conflict("unable to delete " + img.id().shortId()
                    + " (must be forced) - image is referenced in multiple repositories");
        }
        for (String t : img.repoTags()) out.add(new Removal("Untagged", Reference.parse(t).familiar()));
        for (String d : img.repoDigests()) out.add(new Removal("Untagged", Reference.parse(d).familiar()));
        images.delete(img.id());
        out.add(new Removal("Deleted", img.id().toString()));
        collect();
        return out;
    }

    private static boolean isIdReference(String s, ImageStore.Image img) {
        String hex = s.startsWith("sha256:") ? s.substring(7) : s;
        return img.id().hex().startsWith(hex) && hex.matches("[0-9a-f]+");
    }

    /** What prune removed, and the bytes that freed. */
    public record Pruned(List<Removal> removed, long reclaimed) {}

    /** {@code image prune}: removes dangling images ({@code all}: every image), then unused content. */
    public Pruned prune(boolean all) {
        return prune(all, id -> false);
    }

    /** {@link #prune(boolean)} sparing the images {@code inUse} names (those containers were made from). */
    public Pruned prune(boolean all, java.util.function.Predicate<Digest> inUse) {
        List<Removal> out = new ArrayList<>();
        for (ImageStore.Image img : images.list()) {
            if (!all && !img.dangling() || inUse.test(img.id())) continue;
            for (String t : img.repoTags()) out.add(new Removal("untagged", Reference.parse(t).familiar()));
            images.delete(img.id());
            out.add(new Removal("deleted", img.id().toString()));
        }
        long reclaimed = collect();
        recover();
        return new Pruned(out, reclaimed);
    }

    /** Deletes blobs and snapshots no image refers to; returns the bytes freed (blob sizes, unpacked sizes). */
    public long collect() {
        try (Gc.Held ignored = gc.exclusive()) {
            Set<Digest> blobs = new HashSet<>();
            Set<Digest> chains = new HashSet<>();
            for (ImageStore.Image img : images.list()) {
                blobs.add(img.id());
                blobs.add(img.manifest());
                if (img.target() != null) blobs.add(img.target().digest());
                try {
                    for (Descriptor l : manifest(img).layers()) blobs.add(l.digest());
                    chains.addAll(ChainIds.of(config(img).diffIds()));
                } catch (ImageException.NotFound broken) {
                    // an image missing its own documents keeps what it still has
                }
            }
            long freed = 0;
            for (Digest d : content.list()) {
                if (blobs.contains(d)) continue;
                freed += content.size(d);
                content.delete(d);
            }
            for (Digest c : snapshots.list()) {
                if (chains.contains(c)) continue;
                freed += snapshots.size(c);
                snapshots.remove(c);
            }
            return freed;
        }
    }

    /**
     * Makes an image of {@code parent}'s layers (null: none) plus one new layer read from {@code layerTar}
     * (a tar, possibly compressed; null: no new layer), with {@code runConfig} and a history entry. Used by
     * {@code import} and {@code commit}. The layer is stored gzip-compressed, ready to push.
     */
    public ImageStore.Image createImage(ImageStore.Image parent, InputStream layerTar, ImageConfig.RunConfig runConfig,
                                        ImageConfig.History history, Reference tag) throws IOException {
        try (Gc.Held ignored = gc.shared()) {
            ImageConfig base = parent != null ? config(parent) : null;
            List<Descriptor> layers = new ArrayList<>(parent != null ? manifest(parent).layers() : List.of());
            List<Digest> diffIds = new ArrayList<>(base != null ? base.diffIds() : List.of());
            List<ImageConfig.History> hist = new ArrayList<>(base != null && base.history() != null ? base.history() : List.of());
            if (layerTar != null) {
                StoredLayer stored = storeLayer(layerTar);
                List<Digest> chain = ChainIds.of(diffIds);
                Digest parentChain = chain.isEmpty() ? null : chain.getLast();
                diffIds.add(stored.diffId());
                unpackStored(parentChain, ChainIds.of(diffIds).getLast(), stored.blob(), stored.diffId());
                layers.add(stored.blob());
            }
            hist.add(history);
            String now = Instant.now().toString();
            ImageConfig cfg = new ImageConfig(history.created() != null ? history.created() : now,
                    history.author(), base != null ? base.architecture() : "amd64", base != null ? base.os() : "linux",
                    base != null ? base.variant() : null, runConfig, new ImageConfig.RootFs("layers", diffIds), hist);
            byte[] cfgBytes = ImageJson.write(cfg);
            Digest id = content.put(cfgBytes);
            Manifest m = Manifest.oci(new Descriptor(MediaTypes.OCI_CONFIG, id, cfgBytes.length), layers);
            byte[] mBytes = ImageJson.write(m);
            Digest md = content.put(mBytes);
            ImageStore.Image img = new ImageStore.Image(id, md, new Descriptor(MediaTypes.OCI_MANIFEST, md, mBytes.length),
                    List.of(), List.of(), now, null);
            return images.put(img, tag);
        }
    }

    /** A layer stored in the content store: its blob descriptor and its diff ID. */
    record StoredLayer(Descriptor blob, Digest diffId) {}

    /** Stores a tar (any compression) as a gzip blob, computing the diff ID of the uncompressed tar. */
    StoredLayer storeLayer(InputStream layer) throws IOException {
        InputStream tar = Compression.decompressed(layer);
        MessageDigest diff = Digest.sha256();
        String ref = "layer-" + java.util.UUID.randomUUID();
        try (ContentStore.Writer w = content.writer(ref, null, -1)) {
            try (OutputStream gz = Compression.GZIP.compress(w.stream())) {
                DigestOutputStream tee = new DigestOutputStream(gz, diff);
                tar.transferTo(tee);
                tee.flush();
            }
            long size = w.offset();
            Digest blob = w.commit();
            return new StoredLayer(new Descriptor(MediaTypes.OCI_LAYER_GZIP, blob, size), Digest.of(diff));
        }
    }

    /**
     * Unpacks a blob already in the content store as snapshot {@code chainId}, unless it exists, and checks
     * that it is the layer {@code diffId}.
     */
    void unpackStored(Digest parentChain, Digest chainId, Descriptor blob, Digest diffId) throws IOException {
        if (snapshots.exists(chainId)) {
            if (diffId != null && !diffIdOf(blob).equals(diffId)) throw diffMismatch(blob, diffId);
            return;
        }
        Snapshotter.Prepared p = snapshots.prepare(parentChain, chainId);
        try (InputStream in = content.open(blob.digest())) {
            var result = unpacker.unpack(in, p.dir(), p.mode());
            if (diffId != null && !result.diffId().equals(diffId)) throw diffMismatch(blob, diffId);
            snapshots.commit(p, result.size());
        } catch (IOException | RuntimeException e) {
            snapshots.abort(p);
            throw e;
        }
    }

    private static ImageException diffMismatch(Descriptor blob, Digest diffId) {
        return new ImageException("layer " + blob.digest() + " is not the layer " + diffId + " the image config lists");
    }

    /** The diff ID of a stored layer blob: the digest of its uncompressed tar. */
    Digest diffIdOf(Descriptor blob) throws IOException {
        try (InputStream in = new java.io.BufferedInputStream(content.open(blob.digest()), 1 << 16)) {
            Compression c = Compression.detect(in);
            if (c == Compression.NONE) return blob.digest();
            MessageDigest md = Digest.sha256();
            c.decompress(in).transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), md));
            return Digest.of(md);
        }
    }

    /** A manifest (or index) as stored bytes with its descriptor. */
    public record Stored(Descriptor descriptor, byte[] bytes) {}

    /**
     * Registers an image from files: its config, its layer blobs (any compression; {@code layerDescs} gives
     * their expected descriptors, or null to take them as they are) and, if it came with one, its manifest.
     * Without a manifest berth writes an OCI one. Every blob is verified, every layer unpacked and checked
     * against the config's diff IDs. Used by {@code load}.
     */
    public ImageStore.Image register(byte[] configBytes, List<Descriptor> layerDescs, List<Path> layerFiles, Stored manifest,
                                     List<Reference> tags, Progress progress) throws IOException {
        try (Gc.Held ignored = gc.shared()) {
            ImageConfig cfg = ImageJson.read(configBytes, ImageConfig.class, "image config");
            List<Digest> diffIds = cfg.diffIds();
            if (diffIds.size() != layerFiles.size()) {
                throw new ImageException("image config lists " + diffIds.size() + " layers, the archive has " + layerFiles.size());
            }
            Digest id = content.put(configBytes);
            List<Digest> chains = ChainIds.of(diffIds);
            List<Descriptor> layers = new ArrayList<>();
            for (int i = 0; i < layerFiles.size(); i++) {
                Descriptor expected = layerDescs != null ? layerDescs.get(i) : null;
                Descriptor stored = storeFile(layerFiles.get(i), expected);
                progress.layer(stored.digest().shortId(), "Loading layer", -1, -1);
                unpackStored(i == 0 ? null : chains.get(i - 1), chains.get(i), stored, diffIds.get(i));
                layers.add(stored);
            }
            Stored m = manifest;
            if (m == null) {
                byte[] bytes = ImageJson.write(Manifest.oci(new Descriptor(MediaTypes.OCI_CONFIG, id, configBytes.length), layers));
                m = new Stored(new Descriptor(MediaTypes.OCI_MANIFEST, Digest.of(bytes), bytes.length), bytes);
            }
            Digest md = content.put(m.bytes());
            ImageStore.Image img = new ImageStore.Image(id, md, m.descriptor(), List.of(), List.of(), Instant.now().toString(), null);
            img = images.put(img, tags.isEmpty() ? null : tags.getFirst());
            for (Reference t : tags.subList(Math.min(1, tags.size()), tags.size())) img = images.tag(id, t);
            return img;
        }
    }

    /** Copies a file into the content store (verified against {@code expected} if given); returns its descriptor. */
    private Descriptor storeFile(Path file, Descriptor expected) throws IOException {
        String mediaType;
        try (InputStream in = new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(file))) {
            mediaType = switch (Compression.detect(in)) {
                case NONE -> MediaTypes.OCI_LAYER;
                case GZIP -> MediaTypes.OCI_LAYER_GZIP;
                case ZSTD -> MediaTypes.OCI_LAYER_ZSTD;
            };
        }
        if (expected != null) mediaType = expected.mediaType();
        long size = java.nio.file.Files.size(file);
        Digest want = expected != null ? expected.digest() : null;
        if (want != null && content.exists(want)) return expected;
        try (ContentStore.Writer w = content.writer("load-" + java.util.UUID.randomUUID(), want, expected != null ? expected.size() : size);
             InputStream in = java.nio.file.Files.newInputStream(file)) {
            in.transferTo(w.stream());
            Digest d = w.commit();
            return new Descriptor(mediaType, d, size);
        }
    }

    /** {@code pull}: see {@link Puller}. */
    public ImageStore.Image pull(Reference ref, Platform platform, RegistryClient registry, Progress progress) throws IOException {
        return new Puller(this, registry, progress).pull(ref, platform);
    }

    /** {@code push}: see {@link Pusher}; returns the manifest digest. */
    public Digest push(Reference ref, RegistryClient registry, Progress progress) {
        return new Pusher(this, registry, progress).push(ref);
    }

}
