package berth.image;

import berth.image.content.ContentStore;
import berth.image.layer.UnpackResult;
import berth.image.registry.BlobStream;
import berth.image.registry.RegistryClient;
import berth.image.registry.Resolved;
import berth.image.snapshot.ChainIds;
import berth.image.snapshot.Snapshotter;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code pull}: resolves a reference, picks the platform's manifest, then fetches the layers, three at a
 * time. With overlay snapshots each layer is unpacked while it downloads: the download writes the content
 * store's ingest file at network speed and a second thread unpacks from that file as it grows, so the two
 * use both cores; the snapshots are published bottom-up once their digests are verified. Docker instead
 * downloads every layer and then extracts them one by one. With the copying snapshotter layers must be
 * applied in order, so they are downloaded in parallel and unpacked as each one's turn comes.
 */
final class Puller {
    /** Docker's default max-concurrent-downloads. */
    static final int PARALLEL = 3;

    private final ImageService svc;
    private final RegistryClient registry;
    private final Progress progress;
    /** Threads that unpack layers from their ingest files while the download threads fill them. */
    private final ExecutorService unpackers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "berth-unpack");
        t.setDaemon(true);
        return t;
    });

    Puller(ImageService svc, RegistryClient registry, Progress progress) {
        this.svc = svc;
        this.registry = registry;
        this.progress = progress;
    }

    ImageStore.Image pull(Reference ref, Platform platform) throws IOException {
        try (Gc.Held ignored = svc.gc().shared()) {
            progress.layer(ref.tag() != null ? ref.tag() : ref.digest().toString(), "Pulling from " + ref.path(), -1, -1);
            Resolved resolved = registry.resolve(ref);
            ContentStore content = svc.content();
            content.put(resolved.manifest());
            Descriptor manifestDesc = resolved.descriptor();
            byte[] manifestBytes = resolved.manifest();
            if (MediaTypes.isIndex(manifestDesc.mediaType())) {
                Index index = ImageJson.read(manifestBytes, Index.class, "image index " + manifestDesc.digest());
                Descriptor chosen = index.select(platform);
                if (chosen == null) {
                    throw new ImageException.NotFound("no matching manifest for " + platform + " in the manifest list entries");
                }
                manifestBytes = registry.fetchManifest(ref, chosen.digest());
                content.put(manifestBytes);
                manifestDesc = chosen;
            } else if (!MediaTypes.isManifest(manifestDesc.mediaType())) {
                throw new ImageException("unsupported manifest type " + manifestDesc.mediaType() + " for " + ref.familiar());
            }
            Manifest manifest = ImageJson.read(manifestBytes, Manifest.class, "manifest " + manifestDesc.digest());
            if (manifest.config() == null || manifest.layers() == null) {
                throw new ImageException("manifest " + manifestDesc.digest() + " has no config or layers");
            }
            byte[] configBytes = fetchSmall(ref, manifest.config());
            ImageConfig config = ImageJson.read(configBytes, ImageConfig.class, "image config " + manifest.config().digest());
            List<Digest> diffIds = config.diffIds();
            if (diffIds.size() != manifest.layers().size()) {
                throw new ImageException("image config lists " + diffIds.size() + " layers, manifest " + manifest.layers().size());
            }
            fetchLayers(ref, manifest.layers(), ChainIds.of(diffIds), diffIds);

            Digest id = manifest.config().digest();
            boolean existed = svc.images().get(id).isPresent();
            String repoDigest = ref.name() + "@" + resolved.descriptor().digest();
            ImageStore.Image img = new ImageStore.Image(id, manifestDesc.digest(), resolved.descriptor(), List.of(),
                    List.of(repoDigest), Instant.now().toString(), null);
            ImageStore.Image stored = svc.images().put(img, ref.tag() != null ? ref : null);
            progress.line("Digest: " + resolved.descriptor().digest());
            progress.line("Status: " + (existed ? "Image is up to date for " : "Downloaded newer image for ") + ref.familiar());
            return stored;
        }
    }

    private byte[] fetchSmall(Reference ref, Descriptor d) throws IOException {
        if (!svc.content().exists(d.digest())) download(ref, d, null, false);
        return svc.content().read(d.digest());
    }

    private void fetchLayers(Reference ref, List<Descriptor> layers, List<Digest> chains, List<Digest> diffIds) throws IOException {
        Snapshotter snaps = svc.snapshots();
        boolean pipelined = snaps.independentLayers();
        List<Future<Unpacked>> pending = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL, r -> {
            Thread t = new Thread(r, "berth-pull");
            t.setDaemon(true);
            return t;
        });
        List<Snapshotter.Prepared> committed = new ArrayList<>();
        try {
            for (int i = 0; i < layers.size(); i++) {
                Descriptor layer = layers.get(i);
                String id = layer.digest().shortId();
                Digest chain = chains.get(i);
                Digest parent = i == 0 ? null : chains.get(i - 1);
                Digest diffId = diffIds.get(i);
                if (snaps.exists(chain)) {
                    progress.layer(id, "Already exists", -1, -1);
                    pending.add(null);
                    continue;
                }
                progress.layer(id, "Pulling fs layer", -1, -1);
                pending.add(pool.submit(() -> {
                    if (!pipelined) {
                        if (!svc.content().exists(layer.digest())) download(ref, layer, null, true);
                        return null;
                    }
                    Snapshotter.Prepared p = snaps.prepare(parent, chain);
                    try {
                        UnpackResult r = svc.content().exists(layer.digest()) ? unpackStored(layer, p) : download(ref, layer, p, true);
                        checkDiffId(layer, diffId, r.diffId());
                        return new Unpacked(p, r.size());
                    } catch (Throwable t) {
                        snaps.abort(p);
                        throw t;
                    }
                }));
            }
            for (int i = 0; i < layers.size(); i++) {
                Future<Unpacked> f = pending.get(i);
                if (f == null) continue;
                Unpacked u = await(f);
                String id = layers.get(i).digest().shortId();
                if (pipelined) {
                    committed.add(u.prepared());
                    snaps.commit(u.prepared(), u.size());
                } else {
                    progress.layer(id, "Extracting", -1, -1);
                    Snapshotter.Prepared q = snaps.prepare(i == 0 ? null : chains.get(i - 1), chains.get(i));
                    try (InputStream in = svc.content().open(layers.get(i).digest())) {
                        UnpackResult r = svc.unpacker().unpack(in, q.dir(), q.mode());
                        checkDiffId(layers.get(i), diffIds.get(i), r.diffId());
                        snaps.commit(q, r.size());
                    } catch (IOException | RuntimeException e) {
                        snaps.abort(q);
                        throw e;
                    }
                }
                progress.layer(id, "Pull complete", -1, -1);
            }
        } finally {
            pool.shutdownNow();
            unpackers.shutdown();
            for (Future<Unpacked> f : pending) {
                if (f == null) continue;
                try {
                    Unpacked u = f.get();
                    if (u != null && !committed.contains(u.prepared())) snaps.abort(u.prepared());
                } catch (Exception ignored) {
                    // failed tasks cleaned up after themselves
                }
            }
        }
    }

    /** A layer unpacked into a prepared snapshot, waiting for its turn to be committed. */
    private record Unpacked(Snapshotter.Prepared prepared, long size) {}

    private static void checkDiffId(Descriptor layer, Digest expected, Digest actual) {
        if (!expected.equals(actual)) {
            throw new ImageException("layer " + layer.digest() + " unpacks to diff ID " + actual + ", the image config says " + expected);
        }
    }

    private UnpackResult unpackStored(Descriptor layer, Snapshotter.Prepared p) throws IOException {
        progress.layer(layer.digest().shortId(), "Extracting", -1, -1);
        try (InputStream in = svc.content().open(layer.digest())) {
            return svc.unpacker().unpack(in, p.dir(), p.mode());
        }
    }

    /**
     * Downloads a blob into the content store, resuming a partial ingest with a Range request (none when the
     * ingest already holds all of it: the digest check at commit still decides). With
     * {@code into} (a prepared snapshot), a second thread unpacks the blob from the ingest file as it grows,
     * so the download runs at network speed and the unpack on another core; the digest is checked when both
     * are done, and a wrong one discards the unpacked snapshot with the blob.
     */
    private UnpackResult download(Reference ref, Descriptor d, Snapshotter.Prepared into, boolean show) throws IOException {
        String id = d.digest().shortId();
        Progress progress = show ? this.progress : Progress.NONE;
        try (ContentStore.Writer w = svc.content().writer("pull-" + d.digest().hex(), d.digest(), d.size())) {
            long offset = w.offset();
            Future<UnpackResult> unpack = null;
            try {
                // The writer hashes what it stores and commit() refuses a wrong digest, so the client need not hash too.
                if (offset > 0 && offset == d.size()) {
                    // all of it arrived before a crash kept it from being stored: nothing to ask the registry for
                    if (into != null) unpack = unpackFollowing(w, into);
                } else {
                    try (BlobStream blob = registry.fetchBlob(ref, d.digest(), offset, false)) {
                        if (blob.offset() != offset) w.truncate();
                        if (into != null) unpack = unpackFollowing(w, into);
                        new Counting(blob.body(), w, progress, id, d.size(), w.offset()).transferTo(OutputStream.nullOutputStream());
                    }
                }
                w.endOfContent();
                progress.layer(id, "Download complete", -1, -1);
                if (unpack != null && !unpack.isDone()) progress.layer(id, "Extracting", -1, -1);
                UnpackResult result = unpack != null ? await(unpack) : null;
                progress.layer(id, "Verifying Checksum", -1, -1);
                w.commit();
                return result;
            } catch (IOException | RuntimeException e) {
                w.fail(e);
                if (unpack != null) {
                    try {
                        unpack.get();
                    } catch (Exception ignored) {
                        // the unpacker stops on the failure just given to it
                    }
                }
                throw e;
            }
        }
    }

    private Future<UnpackResult> unpackFollowing(ContentStore.Writer w, Snapshotter.Prepared into) throws IOException {
        InputStream in = w.follow();
        return unpackers.submit(() -> {
            try (InputStream buffered = new java.io.BufferedInputStream(in, 1 << 16)) {
                return svc.unpacker().unpack(buffered, into.dir(), into.mode());
            }
        });
    }

    private static <T> T await(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException("pull interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) throw io;
            if (c instanceof RuntimeException re) throw re;
            if (c instanceof Error err) throw err;
            throw new ImageException(c.toString(), c);
        }
    }

    /** Passes bytes through to the unpacker while writing them to the content store and counting progress. */
    private static final class Counting extends FilterInputStream {
        private final ContentStore.Writer writer;
        private final Progress progress;
        private final String id;
        private final long total;
        private long done;
        private long reported;

        Counting(InputStream in, ContentStore.Writer writer, Progress progress, String id, long total, long start) {
            super(in);
            this.writer = writer;
            this.progress = progress;
            this.id = id;
            this.total = total;
            this.done = start;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                try {
                    writer.write(b, off, n);
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
                done += n;
                if (done - reported >= 256 * 1024 || done == total) {
                    reported = done;
                    progress.layer(id, "Downloading", done, total);
                }
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(n, 8192)];
            int r = read(buf, 0, buf.length);
            return Math.max(r, 0);
        }
    }
}
