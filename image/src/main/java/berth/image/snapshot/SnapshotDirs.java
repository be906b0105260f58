package berth.image.snapshot;

import berth.image.Digest;
import berth.image.layer.WhiteoutMode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * The on-disk layout both snapshotters share: {@code <root>/<chain hex>/{fs,parent,size}} for committed
 * snapshots and {@code <root>/.tmp-<uuid>/} for prepared ones, published by renaming the directory.
 */
final class SnapshotDirs {
    private static final String TMP = ".tmp-";
    private static final String NEW = ".new-";
    /**
     * A fresh directory is unlocked only for the instant before prepare locks and renames it: one older than
     * this was left by a process killed in that instant.
     */
    private static final Duration ABANDONED_FRESH = Duration.ofMinutes(1);
    final Path root;

    SnapshotDirs(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("create snapshot directory " + root, e);
        }
    }

    Path dir(Digest chainId) {
        return root.resolve(chainId.hex());
    }

    Path fs(Digest chainId) {
        return dir(chainId).resolve("fs");
    }

    boolean exists(Digest chainId) {
        return Files.isDirectory(fs(chainId));
    }

    Digest parent(Digest chainId) {
        try {
            Path p = dir(chainId).resolve("parent");
            if (!Files.exists(p)) return null;
            String s = Files.readString(p).trim();
            return s.isEmpty() ? null : Digest.parse(s);
        } catch (IOException e) {
            throw new UncheckedIOException("read parent of snapshot " + chainId, e);
        }
    }

    long size(Digest chainId) {
        try {
            Path p = dir(chainId).resolve("size");
            return Files.exists(p) ? Long.parseLong(Files.readString(p).trim()) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    Snapshotter.Prepared prepare(Digest parent, Digest chainId, WhiteoutMode mode) {
        String id = UUID.randomUUID().toString();
        Path tmp = root.resolve(TMP + id);
        try {
            // Locked under a name cleanup ignores, then renamed: cleanup never sees an unlocked fresh directory.
            Path fresh = Files.createDirectory(root.resolve(NEW + id));
            java.nio.channels.FileChannel ch = lock(fresh);
            Files.move(fresh, tmp, StandardCopyOption.ATOMIC_MOVE);
            held.put(tmp, ch);
            Files.writeString(tmp.resolve("parent"), parent == null ? "" : parent.toString(), StandardCharsets.US_ASCII);
            Files.createDirectory(tmp.resolve("fs"));
            return new Snapshotter.Prepared(parent, chainId, tmp.resolve("fs"), mode, tmp);
        } catch (IOException e) {
            if (held.containsKey(tmp)) {
                releaseLock(tmp);
                Tree.delete(tmp);
            }
            throw new UncheckedIOException("prepare snapshot " + chainId, e);
        }
    }

    void commit(Snapshotter.Prepared p, long size) {
        try {
            Files.writeString(p.workDir().resolve("size"), Long.toString(size));
            Path target = dir(p.chainId());
            releaseLock(p.workDir());
            Files.deleteIfExists(p.workDir().resolve(LOCK));
            try {
                Files.move(p.workDir(), target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException raced) {
                // Another pull committed the same layer first; its copy is as good as ours.
                Tree.delete(p.workDir());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("commit snapshot " + p.chainId(), e);
        }
    }

    void abort(Snapshotter.Prepared p) {
        releaseLock(p.workDir());
        Tree.delete(p.workDir());
    }

    /*
     * A prepared directory holds a lock file locked by the process filling it; the lock dies with the process,
     * so cleanup can tell a crashed pull's leftovers from another process's pull in progress.
     */
    private static final String LOCK = ".lock";
    private final java.util.Map<Path, java.nio.channels.FileChannel> held = new java.util.concurrent.ConcurrentHashMap<>();

    private static java.nio.channels.FileChannel lock(Path dir) throws IOException {
        java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(dir.resolve(LOCK),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
        ch.lock();
        return ch;
    }

    private void releaseLock(Path tmp) {
        java.nio.channels.FileChannel ch = held.remove(tmp);
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing releases the lock; nothing else to do
        }
    }

    Set<Digest> list() {
        Set<Digest> out = new HashSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.length() == 64 && !n.startsWith(".")) out.add(new Digest("sha256", n));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    void remove(Digest chainId) {
        Path d = dir(chainId);
        if (!Files.exists(d)) return;
        // Rename first so a crash halfway through the delete leaves a tmp dir, never a partial snapshot.
        Path doomed = root.resolve(TMP + "rm-" + UUID.randomUUID());
        try {
            Files.move(d, doomed, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("remove snapshot " + chainId, e);
        }
        Tree.delete(doomed);
    }

    /**
     * Deletes prepared directories that no live process is filling (their lock is free), and fresh ones that
     * a crash kept from being locked.
     */
    void cleanup() {
        long cutoff = System.currentTimeMillis() - ABANDONED_FRESH.toMillis();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, NEW + "*")) {
            for (Path p : ds) {
                try {
                    if (Files.getLastModifiedTime(p).toMillis() < cutoff) Tree.delete(p);
                } catch (NoSuchFileException gone) {
                    // renamed by its creator or removed by another cleanup meanwhile
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, TMP + "*")) {
            for (Path p : ds) {
                if (held.containsKey(p)) continue;
                boolean abandoned;
                try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(p.resolve(LOCK),
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                     java.nio.channels.FileLock lock = ch.tryLock()) {
                    abandoned = lock != null;
                } catch (IOException e) {
                    abandoned = false; // being removed by someone else right now
                }
                if (abandoned) Tree.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
