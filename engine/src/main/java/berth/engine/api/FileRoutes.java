package berth.engine.api;

import berth.sys.MountInfo;
import berth.engine.Container;
import berth.engine.ContainerStore;
import berth.engine.EngineException;
import berth.engine.Events;
import berth.engine.Json;
import berth.engine.RootFs;
import berth.engine.archive.ContainerFiles;
import berth.engine.archive.ExtractOptions;
import berth.engine.archive.PathStat;
import berth.engine.http.Exchange;
import berth.engine.http.Router;
import berth.image.ConfigChanges;
import berth.image.ImageConfig;
import berth.image.ImageService;
import berth.image.ImageStore;
import berth.image.Reference;
import berth.image.layer.LayerDiff;
import berth.sys.Syscalls;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Stream;

/** A container's files: {@code docker cp} (archive), {@code export}, {@code diff} (changes) and {@code commit}. */
final class FileRoutes {
    private final ContainerStore store;
    private final RootFs rootfs;
    private final ImageService images;
    private final Syscalls sys;
    private final Events events;

    FileRoutes(ContainerStore store, RootFs rootfs, ImageService images, Syscalls sys, Events events) {
        this.store = store;
        this.rootfs = rootfs;
        this.images = images;
        this.sys = sys;
        this.events = events;
    }

    void register(Router r) {
        r.on("HEAD", "/containers/{id}/archive", ex -> inRoot(ex, files -> {
            ex.responseHeader("X-Docker-Container-Path-Stat", files.stat(path(ex)).headerValue());
            ex.status(200);
            return null;
        }));
        r.on("GET", "/containers/{id}/archive", ex -> inRoot(ex, files -> {
            PathStat stat = files.stat(path(ex));
            ex.responseHeader("X-Docker-Container-Path-Stat", stat.headerValue());
            OutputStream out = ex.stream(200, "application/x-tar");
            files.writeTar(path(ex), out);
            close(out);
            return null;
        }));
        r.on("PUT", "/containers/{id}/archive", ex -> inRoot(ex, files -> {
            Container c = store.get(ex.param("id"));
            if (c.hostConfig.path("ReadonlyRootfs").asBoolean(false) && c.state.running()) {
                throw new EngineException.Forbidden("container rootfs is marked read-only");
            }
            files.extractTar(path(ex), ex.body(), new ExtractOptions(ex.queryBool("noOverwriteDirNonDir", false), null));
            ex.status(200);
            return null;
        }));
        r.on("GET", "/containers/{id}/export", ex -> inRootFs(ex, files -> {
            OutputStream out = ex.stream(200, "application/x-tar");
            files.exportTar(out);
            close(out);
            return null;
        }));
        r.on("GET", "/containers/{id}/changes", this::changes);
        r.on("POST", "/commit", this::commit);
    }

    private static String path(Exchange ex) {
        String p = ex.query("path");
        if (p == null || p.isEmpty()) throw new EngineException.Invalid("bad parameter: path cannot be empty");
        return p;
    }

    private static void close(OutputStream out) {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code work} over the container's root as its processes see it: {@code /proc/PID/root} while it
     * runs (volumes included), else its root file system mounted for the while.
     */
    private void inRoot(Exchange ex, Function<ContainerFiles, Void> work) {
        Container c = store.get(ex.param("id"));
        synchronized (c) {
            if (c.state.running()) {
                work.apply(new ContainerFiles(c.id, Path.of("/proc/" + c.state.pid + "/root"), sys));
                return;
            }
            inRootFs(ex, work);
        }
    }

    /**
     * Runs {@code work} over the container's root file system alone (layers, init layer and changes; no
     * volumes, no {@code /proc}), as {@code docker export} reads it: the daemon's own mount of it, made for
     * the while if the container is not running.
     */
    private void inRootFs(Exchange ex, Function<ContainerFiles, Void> work) {
        Container c = store.get(ex.param("id"));
        synchronized (c) {
            Path dir = store.dir(c.id);
            boolean mounted = MountInfo.isMountPoint(RootFs.target(dir));
            Path root = rootfs.mount(c, dir);
            try {
                work.apply(new ContainerFiles(c.id, root, sys));
            } finally {
                if (!mounted) rootfs.unmount(dir);
            }
        }
    }

    /** Docker's change kinds: 0 modified, 1 added, 2 deleted; read from the read-write layer. */
    private void changes(Exchange ex) throws IOException {
        Container c = store.get(ex.param("id"));
        Path upper = rootfs.changes(store.dir(c.id));
        List<Path> lowers = rootfs.lowerDirs(c, store.dir(c.id));
        ArrayNode out = Json.MAPPER.createArrayNode();
        if (Files.isDirectory(upper)) {
            try (Stream<Path> walk = Files.walk(upper)) {
                for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
                    if (p.equals(upper)) continue;
                    String rel = "/" + upper.relativize(p);
                    int kind;
                    if (isWhiteout(p)) kind = 2;
                    else kind = lowers.stream().anyMatch(l -> Files.exists(l.resolve(rel.substring(1)), java.nio.file.LinkOption.NOFOLLOW_LINKS)) ? 0 : 1;
                    ObjectNode o = out.addObject();
                    o.put("Path", rel);
                    o.put("Kind", kind);
                }
            }
        }
        ex.json(200, out);
    }

    private static boolean isWhiteout(Path p) throws IOException {
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p)) return false;
        Object mode = Files.getAttribute(p, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        Object rdev = Files.getAttribute(p, "unix:rdev", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        return (((Integer) mode) & 0170000) == 0020000 && ((Long) rdev) == 0L;
    }

    /** The read-write layer becomes a new layer on the container's image; volumes' contents stay out. */
    private void commit(Exchange ex) throws Exception {
        Container c = store.get(ContainerRoutes.required(ex.query("container"), "container"));
        String repo = ex.query("repo"), tag = ex.query("tag");
        Reference ref = repo == null || repo.isEmpty() ? null : Reference.parse(tag == null || tag.isEmpty() ? repo : repo + ":" + tag);
        JsonNode body = ex.jsonBody();
        ObjectNode cfg = c.config.deepCopy();
        if (body.isObject()) body.properties().forEach(e -> { if (!e.getValue().isNull()) cfg.set(e.getKey(), e.getValue()); });
        ImageConfig.RunConfig run = Json.MAPPER.treeToValue(cfg, ImageConfig.RunConfig.class);
        run = ConfigChanges.apply(run, ex.queryAll("changes"));
        Set<String> volumes = new HashSet<>();
        for (Container.MountPoint m : c.mounts) volumes.add(m.destination().substring(1));
        ImageStore.Image parent = images.get(c.image);
        Path upper = rootfs.changes(store.dir(c.id));
        PipedInputStream in = new PipedInputStream(1 << 20);
        PipedOutputStream pipe = new PipedOutputStream(in);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (pipe) {
                new LayerDiff(sys).write(upper, volumes, pipe);
            } catch (IOException e) {
                throw new UncheckedIOException("read the changes of " + c.name + ": " + e.getMessage(), e);
            }
        }, r -> Thread.ofVirtual().start(r));
        String comment = ex.query("comment");
        ImageStore.Image img = images.createImage(parent, in, run, new ImageConfig.History(Instant.now().toString(), "",
                ex.query("author"), comment == null ? "" : comment, null), ref);
        writer.join();
        events.publish("container", "commit", c.id, Map.of("name", c.name, "image", c.imageName));
        ObjectNode o = Json.object();
        o.put("Id", img.id().toString());
        ex.json(201, o);
    }
}
