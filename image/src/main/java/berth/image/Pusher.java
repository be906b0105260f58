package berth.image;

import berth.image.registry.RegistryClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code push}: uploads an image's config and layers (skipping blobs the registry has, mounting them from
 * another repository of the same registry where the image came from there), then its manifest under the tag.
 */
final class Pusher {
    private final ImageService svc;
    private final RegistryClient registry;
    private final Progress progress;

    Pusher(ImageService svc, RegistryClient registry, Progress progress) {
        this.svc = svc;
        this.registry = registry;
        this.progress = progress;
    }

    /** Pushes the image tagged {@code ref}; returns the manifest digest. */
    Digest push(Reference ref) {
        if (ref.digest() != null) throw new IllegalArgumentException("cannot push a digest reference: push by tag");
        ImageStore.Image img = svc.images().find(ref.toString())
                .orElseThrow(() -> new ImageException.NotFound("An image does not exist locally with the tag: " + ref.familiar()));
        progress.line("The push refers to repository [" + ref.name() + "]");
        Manifest manifest = svc.manifest(img);
        byte[] manifestBytes = svc.content().read(img.manifest());
        Reference mountFrom = sameRegistrySource(img, ref);
        List<Descriptor> blobs = new ArrayList<>(manifest.layers());
        for (Descriptor layer : blobs.reversed()) push(ref, layer, mountFrom, true);
        push(ref, manifest.config(), mountFrom, false);
        String mediaType = manifest.mediaType() != null ? manifest.mediaType() : MediaTypes.OCI_MANIFEST;
        registry.pushManifest(ref, mediaType, manifestBytes);
        progress.line(ref.tag() + ": digest: " + img.manifest() + " size: " + manifestBytes.length);
        svc.images().addRepoDigest(img.id(), ref.name() + "@" + img.manifest());
        return img.manifest();
    }

    private void push(Reference ref, Descriptor d, Reference mountFrom, boolean show) {
        String id = d.digest().shortId();
        if (!svc.content().exists(d.digest())) {
            throw new ImageException.NotFound("blob " + d.digest() + " of " + ref.familiar()
                    + " is not in the local store (pull the image again before pushing it)");
        }
        if (show) progress.layer(id, "Preparing", -1, -1);
        if (registry.blobExists(ref, d.digest())) {
            if (show) progress.layer(id, "Layer already exists", -1, -1);
            return;
        }
        if (show) progress.layer(id, "Pushing", 0, d.size());
        registry.pushBlob(ref, d, () -> {
            try {
                return svc.content().open(d.digest());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, mountFrom);
        if (show) progress.layer(id, "Pushed", -1, -1);
    }

    /** Another repository on {@code target}'s registry that this image came from or went to, or null. */
    private static Reference sameRegistrySource(ImageStore.Image img, Reference target) {
        List<String> known = new ArrayList<>(img.repoDigests());
        known.addAll(img.repoTags());
        for (String s : known) {
            Reference r = Reference.parse(s);
            if (r.domain().equals(target.domain()) && !r.path().equals(target.path())) return r;
        }
        return null;
    }
}
