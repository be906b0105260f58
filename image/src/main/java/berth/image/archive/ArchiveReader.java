package berth.image.archive;

import berth.image.Descriptor;
import berth.image.Digest;
import berth.image.ImageException;
import berth.image.ImageJson;
import berth.image.ImageService;
import berth.image.ImageStore;
import berth.image.Index;
import berth.image.Manifest;
import berth.image.MediaTypes;
import berth.image.Platform;
import berth.image.Progress;
import berth.image.Reference;
import berth.image.snapshot.Tree;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code load}: reads a docker-archive ({@code manifest.json}) or an OCI image layout ({@code index.json})
 * tarball, possibly compressed. The archive is untrusted: only regular files, directories and symlinks
 * (resolved by name, inside the archive) are taken, and every blob is verified against its digest.
 */
public final class ArchiveReader {
    private final ImageService svc;

    public ArchiveReader(ImageService svc) {
        this.svc = svc;
    }

    record DockerEntry(@JsonProperty("Config") String config, @JsonProperty("RepoTags") List<String> repoTags,
                       @JsonProperty("Layers") List<String> layers) {}

    /** Loads every image in the archive; returns what was loaded, as Docker prints it. */
    public List<String> load(InputStream in, Platform platform, Progress progress) throws IOException {
        Path dir = svc.root().resolve("tmp").resolve("load-" + UUID.randomUUID());
        Files.createDirectories(dir);
        try {
            Map<String, String> links = extract(in, dir);
            Archive a = new Archive(dir, links);
            List<String> loaded = new ArrayList<>();
            if (a.exists("manifest.json")) {
                List<DockerEntry> entries = ImageJson.read(a.read("manifest.json"), new TypeReference<List<DockerEntry>>() {},
                        "manifest.json");
                for (DockerEntry e : entries) {
                    List<Path> layers = new ArrayList<>();
                    for (String l : e.layers() != null ? e.layers() : List.<String>of()) layers.add(a.path(l));
                    List<Reference> tags = new ArrayList<>();
                    for (String t : e.repoTags() != null ? e.repoTags() : List.<String>of()) tags.add(Reference.parse(t));
                    loaded.addAll(describe(svc.register(a.read(e.config()), null, layers, null, tags, progress), tags));
                }
            } else if (a.exists("index.json")) {
                Index index = ImageJson.read(a.read("index.json"), Index.class, "index.json");
                for (Descriptor d : index.manifests()) loaded.addAll(loadOci(a, d, platform, progress));
            } else {
                throw new ImageException("not an image archive: neither manifest.json nor index.json inside");
            }
            return loaded;
        } finally {
            Tree.delete(dir);
        }
    }

    private List<String> loadOci(Archive a, Descriptor d, Platform platform, Progress progress) throws IOException {
        byte[] bytes = a.blob(d.digest());
        if (MediaTypes.isIndex(d.mediaType()) || (d.mediaType() == null && MediaTypes.isIndex(ImageJson.mediaTypeOf(bytes)))) {
            Index nested = ImageJson.read(bytes, Index.class, "index " + d.digest());
            Descriptor chosen = nested.select(platform);
            if (chosen == null) throw new ImageException.NotFound("no manifest for " + platform + " in index " + d.digest());
            return loadOci(a, chosen.withAnnotations(d.annotations()), platform, progress);
        }
        Manifest m = ImageJson.read(bytes, Manifest.class, "manifest " + d.digest());
        List<Path> layers = new ArrayList<>();
        List<Descriptor> layerDescs = new ArrayList<>();
        for (Descriptor l : m.layers()) {
            layers.add(a.blobPath(l.digest()));
            layerDescs.add(l);
        }
        List<Reference> tags = new ArrayList<>();
        String name = d.annotations() == null ? null : d.annotations().get("io.containerd.image.name");
        if (name != null) tags.add(Reference.parse(name));
        Descriptor target = new Descriptor(m.mediaType() != null ? m.mediaType() : MediaTypes.OCI_MANIFEST, d.digest(), bytes.length);
        return describe(svc.register(a.blob(m.config().digest()), layerDescs, layers, new ImageService.Stored(target, bytes), tags, progress), tags);
    }

    private static List<String> describe(ImageStore.Image img, List<Reference> tags) {
        if (tags.isEmpty()) return List.of("Loaded image ID: " + img.id());
        List<String> out = new ArrayList<>();
        for (Reference t : tags) out.add("Loaded image: " + t.familiar());
        return out;
    }

    /** Unpacks the archive's files into {@code dir}; returns its symlinks (name → target) instead of making them. */
    private static Map<String, String> extract(InputStream raw, Path dir) throws IOException {
        Map<String, String> links = new HashMap<>();
        InputStream in = berth.image.layer.Compression.decompressed(raw);
        TarArchiveInputStream tar = new TarArchiveInputStream(in);
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            String name = Archive.clean(e.getName());
            if (name.isEmpty()) continue;
            if (e.isDirectory()) {
                Files.createDirectories(dir.resolve(name));
            } else if (e.isSymbolicLink()) {
                links.put(name, e.getLinkName());
            } else if (e.isLink()) {
                links.put(name, "/" + Archive.clean(e.getLinkName()));
            } else if (e.isFile()) {
                Path target = dir.resolve(name);
                Files.createDirectories(target.getParent());
                Files.copy(tar, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return links;
    }

    /** The extracted archive, read by names that never leave its directory. */
    private record Archive(Path dir, Map<String, String> links) {

        /** Normalises an archive name: no leading slash, no "." parts; ".." that would leave the archive is refused. */
        static String clean(String name) {
            List<String> parts = new ArrayList<>();
            for (String p : name.split("/")) {
                if (p.isEmpty() || p.equals(".")) continue;
                if (p.equals("..")) {
                    if (parts.isEmpty()) throw new ImageException("archive entry \"" + name + "\" leaves the archive");
                    parts.removeLast();
                } else {
                    parts.add(p);
                }
            }
            return String.join("/", parts);
        }

        /** The file an archive name denotes, following the archive's own symlinks (within it, at most 16). */
        Path path(String name) {
            String n = clean(name);
            for (int hops = 0; hops < 16; hops++) {
                String target = links.get(n);
                if (target == null) {
                    Path p = dir.resolve(n);
                    if (!Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        throw new ImageException("archive has no file \"" + name + "\"");
                    }
                    return p;
                }
                String base = n.contains("/") ? n.substring(0, n.lastIndexOf('/') + 1) : "";
                n = clean(target.startsWith("/") ? target : base + target);
            }
            throw new ImageException("archive entry \"" + name + "\": too many symlinks");
        }

        boolean exists(String name) {
            try {
                path(name);
                return true;
            } catch (ImageException e) {
                return false;
            }
        }

        byte[] read(String name) throws IOException {
            return Files.readAllBytes(path(name));
        }

        Path blobPath(Digest d) {
            return path("blobs/" + d.algorithm() + "/" + d.hex());
        }

        /** A small blob, verified. */
        byte[] blob(Digest d) throws IOException {
            byte[] b = Files.readAllBytes(blobPath(d));
            if (!Digest.of(b).equals(d)) throw new ImageException("archive blob " + d + " does not match its digest");
            return b;
        }
    }
}
