package berth.image;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The images berth knows, by ID (the config digest), each with its tags and repository digests, as Docker
 * models them: {@code <root>/<id hex>.json}, rewritten atomically. A tag names at most one image; moving it
 * updates both images under one store-wide lock, so two berth processes never split a tag.
 */
public final class ImageStore {
    private final Path root;
    private final ReentrantLock threads = new ReentrantLock();

    /**
     * @param id          the config digest
     * @param manifest    the platform manifest's digest (stored in the content store)
     * @param target      what the tag resolved to when pulled (an index, or the manifest itself)
     * @param repoTags    full references with tags, e.g. {@code docker.io/library/busybox:latest}
     * @param repoDigests full references with the manifest digest, as pushed or pulled
     * @param created     when berth stored the image (the image's own creation time is in its config)
     * @param lastTagTime when a tag last moved onto this image
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Image(Digest id, Digest manifest, Descriptor target, List<String> repoTags, List<String> repoDigests,
                        String created, String lastTagTime) {

        public Image {
            repoTags = repoTags == null ? List.of() : List.copyOf(repoTags);
            repoDigests = repoDigests == null ? List.of() : List.copyOf(repoDigests);
        }

        public boolean dangling() {
            return repoTags.isEmpty();
        }

        Image withTags(List<String> tags, String tagTime) {
            return new Image(id, manifest, target, tags, repoDigests, created, tagTime != null ? tagTime : lastTagTime);
        }

        Image withDigests(List<String> digests) {
            return new Image(id, manifest, target, repoTags, digests, created, lastTagTime);
        }
    }

    public ImageStore(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("create image store " + root, e);
        }
    }

    public List<Image> list() {
        List<Image> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, "*.json")) {
            for (Path p : ds) {
                Image i = readFile(p);
                if (i != null) out.add(i);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort((a, b) -> b.created().compareTo(a.created()));
        return out;
    }

    public Optional<Image> get(Digest id) {
        return Optional.ofNullable(readFile(file(id)));
    }

    /**
     * Finds an image the way the docker CLI does: a full or short ID ({@code sha256:} optional, at least
     * a unique prefix), a name with tag (default latest), or a name with digest.
     */
    public Optional<Image> find(String nameOrId) {
        String hex = nameOrId.startsWith("sha256:") ? nameOrId.substring(7) : nameOrId;
        if (hex.matches("[0-9a-f]{1,64}")) {
            List<Image> byId = list().stream().filter(i -> i.id().hex().startsWith(hex)).toList();
            if (byId.size() == 1) return Optional.of(byId.getFirst());
            if (byId.size() > 1 && hex.length() < 64) {
                throw new ImageException.Conflict("image ID prefix \"" + nameOrId + "\" is ambiguous");
            }
        }
        Reference ref;
        try {
            ref = Reference.parse(nameOrId);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        for (Image i : list()) {
            if (ref.digest() != null) {
                if (i.manifest().equals(ref.digest()) || (i.target() != null && ref.digest().equals(i.target().digest()))) {
                    if (i.repoDigests().stream().anyMatch(d -> Reference.parse(d).name().equals(ref.name()))
                            || i.repoTags().stream().anyMatch(t -> Reference.parse(t).name().equals(ref.name()))) {
                        return Optional.of(i);
                    }
                }
            } else if (i.repoTags().contains(ref.toString())) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /**
     * Stores an image (or merges into the one with the same ID) and points {@code tag} at it (null: no tag),
     * taking the tag away from any other image. Returns the stored image.
     */
    public Image put(Image image, Reference tag) {
        return locked(() -> {
            Image current = get(image.id()).orElse(null);
            Image merged = current == null ? image : mergeInto(current, image);
            if (tag != null) merged = tagLocked(merged, tag);
            write(merged);
            return merged;
        });
    }

    private static Image mergeInto(Image current, Image update) {
        Set<String> tags = new LinkedHashSet<>(current.repoTags());
        tags.addAll(update.repoTags());
        Set<String> digests = new LinkedHashSet<>(current.repoDigests());
        digests.addAll(update.repoDigests());
        return new Image(current.id(), update.manifest(), update.target() != null ? update.target() : current.target(),
                List.copyOf(tags), List.copyOf(digests), current.created(), current.lastTagTime());
    }

    /** Points {@code tag} at image {@code id}. */
    public Image tag(Digest id, Reference tag) {
        return locked(() -> {
            Image img = get(id).orElseThrow(() -> new ImageException.NotFound("No such image: " + id));
            Image tagged = tagLocked(img, tag);
            write(tagged);
            return tagged;
        });
    }

    private Image tagLocked(Image img, Reference tag) {
        String t = tag.toString();
        for (Image other : list()) {
            if (!other.id().equals(img.id()) && other.repoTags().contains(t)) {
                List<String> left = new ArrayList<>(other.repoTags());
                left.remove(t);
                write(other.withTags(left, null));
            }
        }
        if (img.repoTags().contains(t)) return img;
        List<String> tags = new ArrayList<>(img.repoTags());
        tags.add(t);
        return img.withTags(tags, Instant.now().toString());
    }

    /** Adds a repository digest ({@code name@sha256:...}) to an image, as a push or pull learns it. */
    public void addRepoDigest(Digest id, String repoDigest) {
        locked(() -> {
            get(id).ifPresent(img -> {
                if (img.repoDigests().contains(repoDigest)) return;
                List<String> d = new ArrayList<>(img.repoDigests());
                d.add(repoDigest);
                write(img.withDigests(d));
            });
            return null;
        });
    }

    /** Removes {@code tag} from its image; returns the image as it is afterwards, or empty if no image had it. */
    public Optional<Image> untag(Reference tag) {
        return locked(() -> {
            for (Image img : list()) {
                if (img.repoTags().contains(tag.toString())) {
                    List<String> left = new ArrayList<>(img.repoTags());
                    left.remove(tag.toString());
                    Image after = img.withTags(left, null);
                    write(after);
                    return Optional.of(after);
                }
            }
            return Optional.empty();
        });
    }

    public void delete(Digest id) {
        locked(() -> {
            Files.deleteIfExists(file(id));
            return null;
        });
    }

    private Path file(Digest id) {
        return root.resolve(id.hex() + ".json");
    }

    private Image readFile(Path p) {
        try {
            return ImageJson.read(Files.readAllBytes(p), Image.class, "image record " + p.getFileName());
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(Image img) {
        try {
            Path tmp = root.resolve("." + img.id().hex() + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(ImageJson.write(img)));
                ch.force(true);
            }
            Files.move(tmp, file(img.id()), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("write image record " + img.id(), e);
        }
    }

    /** Runs {@code action} holding the store's lock (shared by all berth processes on this root). */
    public <T> T locked(IoSupplier<T> action) {
        if (threads.isHeldByCurrentThread()) {
            try {
                return action.get();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        threads.lock();
        try (FileChannel ch = FileChannel.open(root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = ch.lock()) {
            return action.get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            threads.unlock();
        }
    }

    @FunctionalInterface
    public interface IoSupplier<T> {
        T get() throws IOException;
    }
}
