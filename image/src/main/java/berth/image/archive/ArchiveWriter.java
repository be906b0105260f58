package berth.image.archive;

import berth.image.Descriptor;
import berth.image.Digest;
import berth.image.ImageConfig;
import berth.image.ImageJson;
import berth.image.ImageService;
import berth.image.ImageStore;
import berth.image.Index;
import berth.image.Manifest;
import berth.image.MediaTypes;
import berth.image.Reference;
import berth.image.layer.Compression;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code save}: images to one tar that is a docker-archive and an OCI layout at once. */
public final class ArchiveWriter {
    private final ImageService svc;

    public ArchiveWriter(ImageService svc) {
        this.svc = svc;
    }

    /**
     * Writes {@code names} (references or IDs) to {@code out}. Layers are written uncompressed, named by
     * their diff IDs, as Docker writes them; each image gets a manifest over those.
     */
    public void save(List<String> names, OutputStream out) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        Set<Digest> written = new HashSet<>();
        List<Map<String, Object>> dockerManifest = new ArrayList<>();
        List<Descriptor> indexEntries = new ArrayList<>();
        dir(tar, "blobs/");
        dir(tar, "blobs/sha256/");
        for (String name : names) {
            ImageStore.Image img = svc.get(name);
            ImageConfig config = svc.config(img);
            Manifest stored = svc.manifest(img);
            byte[] configBytes = svc.configBytes(img);
            blob(tar, written, img.id(), configBytes);
            List<Descriptor> layers = new ArrayList<>();
            List<String> layerPaths = new ArrayList<>();
            for (int i = 0; i < stored.layers().size(); i++) {
                Descriptor compressed = stored.layers().get(i);
                Digest diffId = config.diffIds().get(i);
                long size = writeLayer(tar, written, compressed, diffId);
                layers.add(new Descriptor(MediaTypes.OCI_LAYER, diffId, size));
                layerPaths.add("blobs/sha256/" + diffId.hex());
            }
            Manifest m = Manifest.oci(new Descriptor(MediaTypes.OCI_CONFIG, img.id(), configBytes.length), layers);
            byte[] mBytes = ImageJson.write(m);
            Digest md = Digest.of(mBytes);
            blob(tar, written, md, mBytes);
            List<String> tags = new ArrayList<>();
            Reference asked = tagOf(name, img);
            for (String t : img.repoTags()) {
                Reference r = Reference.parse(t);
                if (asked == null || asked.equals(r)) tags.add(r.familiar());
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("Config", "blobs/sha256/" + img.id().hex());
            entry.put("RepoTags", tags);
            entry.put("Layers", layerPaths);
            dockerManifest.add(entry);
            List<String> fullTags = asked != null ? List.of(asked.toString()) : img.repoTags();
            if (fullTags.isEmpty()) indexEntries.add(new Descriptor(MediaTypes.OCI_MANIFEST, md, mBytes.length));
            for (String t : fullTags) {
                Reference r = Reference.parse(t);
                indexEntries.add(new Descriptor(MediaTypes.OCI_MANIFEST, md, mBytes.length)
                        .withAnnotations(Map.of("io.containerd.image.name", r.toString(),
                                "org.opencontainers.image.ref.name", r.tag())));
            }
        }
        file(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes());
        file(tar, "index.json", ImageJson.write(new Index(2, MediaTypes.OCI_INDEX, indexEntries, null)));
        file(tar, "manifest.json", ImageJson.write(dockerManifest));
        tar.finish();
        tar.flush();
    }

    /** The reference {@code name} means, if it names a tag (not an ID). */
    private static Reference tagOf(String name, ImageStore.Image img) {
        String hex = name.startsWith("sha256:") ? name.substring(7) : name;
        if (img.id().hex().startsWith(hex)) return null;
        Reference r = Reference.parse(name);
        return r.digest() == null ? r : null;
    }

    /** The uncompressed layer, as a blob named by its diff ID; returns its size. */
    private long writeLayer(TarArchiveOutputStream tar, Set<Digest> written, Descriptor compressed, Digest diffId) throws IOException {
        Path tmp = Files.createTempFile(svc.root(), ".save-", ".tar");
        try {
            try (InputStream in = svc.content().open(compressed.digest())) {
                InputStream plain = Compression.decompressed(in);
                try (OutputStream o = Files.newOutputStream(tmp)) {
                    plain.transferTo(o);
                }
            }
            long size = Files.size(tmp);
            if (written.add(diffId)) {
                TarArchiveEntry e = new TarArchiveEntry("blobs/sha256/" + diffId.hex());
                e.setSize(size);
                e.setMode(0644);
                tar.putArchiveEntry(e);
                Files.copy(tmp, tar);
                tar.closeArchiveEntry();
            }
            return size;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void blob(TarArchiveOutputStream tar, Set<Digest> written, Digest d, byte[] content) throws IOException {
        if (written.add(d)) file(tar, "blobs/sha256/" + d.hex(), content);
    }

    private static void dir(TarArchiveOutputStream tar, String name) throws IOException {
        TarWriting.directory(tar, name, 040755);
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarWriting.file(tar, name, content, 0644);
    }
}
