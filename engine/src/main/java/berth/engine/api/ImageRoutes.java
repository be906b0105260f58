package berth.engine.api;

import berth.engine.Container;
import berth.engine.EngineException;
import berth.engine.Events;
import berth.engine.Json;
import berth.engine.http.Exchange;
import berth.engine.http.Router;
import berth.image.ConfigChanges;
import berth.image.Digest;
import berth.image.ImageConfig;
import berth.image.ImageService;
import berth.image.ImageStore;
import berth.image.ImageViews;
import berth.image.Platform;
import berth.image.Reference;
import berth.image.archive.ArchiveReader;
import berth.image.archive.ArchiveWriter;
import berth.image.registry.Credentials;
import berth.image.registry.RegistryClient;
import berth.image.registry.RegistryHosts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.OutputStream;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** {@code /images/...}, {@code /auth}: the image store through Docker's API. */
final class ImageRoutes {
    private final ImageService images;
    private final ImageViews views;
    private final RegistryHosts hosts;
    private final Events events;
    private final Supplier<Collection<Container>> containers;

    ImageRoutes(ImageService images, RegistryHosts hosts, Events events, Supplier<Collection<Container>> containers) {
        this.images = images;
        this.views = new ImageViews(images);
        this.hosts = hosts;
        this.events = events;
        this.containers = containers;
    }

    void register(Router r) {
        r.on("GET", "/images/json", this::list);
        r.on("POST", "/images/create", this::create);
        r.on("GET", "/images/get", this::saveMany);
        r.on("POST", "/images/load", this::load);
        r.on("POST", "/images/prune", this::prune);
        r.on("GET", "/images/{name*}/json", ex -> ex.json(200, views.inspect(images.get(ex.param("name")))));
        r.on("GET", "/images/{name*}/history", this::history);
        r.on("GET", "/images/{name*}/get", ex -> save(ex, List.of(ex.param("name"))));
        r.on("POST", "/images/{name*}/tag", this::tag);
        r.on("POST", "/images/{name*}/push", this::push);
        r.on("DELETE", "/images/{name*}", this::remove);
        r.on("POST", "/auth", this::auth);
    }

    private void list(Exchange ex) {
        // berth keeps no intermediate images: all=1 lists the same images
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (ImageStore.Image img : images.list()) {
            ImageConfig cfg = images.config(img);
            ObjectNode o = out.addObject();
            o.put("Containers", -1);
            o.put("Created", cfg.created() == null ? 0 : Instant.parse(cfg.created()).getEpochSecond());
            o.put("Id", img.id().toString());
            ObjectNode labels = o.putObject("Labels");
            if (cfg.config() != null && cfg.config().labels() != null) cfg.config().labels().forEach(labels::put);
            o.put("ParentId", "");
            ArrayNode digests = o.putArray("RepoDigests");
            img.repoDigests().forEach(d -> digests.add(Reference.parse(d).familiar()));
            ArrayNode tags = o.putArray("RepoTags");
            img.repoTags().forEach(t -> tags.add(Reference.parse(t).familiar()));
            o.put("SharedSize", -1);
            long size = images.size(cfg);
            o.put("Size", size);
            o.put("VirtualSize", size);
        }
        ex.json(200, out);
    }

    /** Pull ({@code fromImage}) or import ({@code fromSrc=-} with the tar as the body). */
    private void create(Exchange ex) throws Exception {
        String from = ex.query("fromImage");
        String src = ex.query("fromSrc");
        if (from == null && src == null) throw new EngineException.Invalid("fromImage or fromSrc is required");
        if (src != null) {
            importImage(ex, src);
            return;
        }
        String tag = ex.query("tag");
        Reference ref;
        try {
            ref = Reference.parse(tag == null || tag.isEmpty() ? from
                    : from + (tag.startsWith("sha256:") ? "@" : ":") + tag);
        } catch (IllegalArgumentException e) {
            throw new EngineException.Invalid("invalid reference format: " + e.getMessage());
        }
        Platform platform = ex.query("platform") == null || ex.query("platform").isEmpty() ? Platform.LINUX_AMD64
                : Platform.parse(ex.query("platform"));
        RegistryClient registry = registry(ex);
        OutputStream out = ex.stream(200, "application/json");
        ProgressStream progress = new ProgressStream(out);
        try {
            ImageStore.Image img = images.pull(ref, platform, registry, progress);
            events.publish("image", "pull", ref.familiar(), Map.of("name", ref.familiarName()));
            if (img == null) progress.line("Status: Image is up to date for " + ref.familiar());
        } catch (RuntimeException e) {
            progress.error(e.getMessage());
        }
        out.close();
    }

    private void importImage(Exchange ex, String src) throws Exception {
        if (!src.equals("-")) throw new EngineException.Invalid("import from a URL is not supported: give the tar as the request body");
        String repo = ex.query("repo");
        String tag = ex.query("tag");
        Reference ref = repo == null || repo.isEmpty() ? null
                : Reference.parse(tag == null || tag.isEmpty() ? repo : repo + ":" + tag);
        ImageConfig.RunConfig run = ConfigChanges.apply(null, ex.queryAll("changes"));
        String message = ex.query("message");
        OutputStream out = ex.stream(200, "application/json");
        ProgressStream progress = new ProgressStream(out);
        try {
            ImageStore.Image img = images.createImage(null, ex.body(), run,
                    new ImageConfig.History(Instant.now().toString(), "", null, message == null || message.isEmpty() ? "Imported from -" : message, null), ref);
            progress.line(img.id().toString());
            events.publish("image", "import", img.id().toString(), Map.of());
        } catch (RuntimeException e) {
            progress.error(e.getMessage());
        }
        out.close();
    }

    private void push(Exchange ex) throws Exception {
        String tag = ex.query("tag");
        Reference ref = Reference.parse(tag == null || tag.isEmpty() ? ex.param("name") : ex.param("name") + ":" + tag);
        images.get(ref.toString());
        RegistryClient registry = registry(ex);
        OutputStream out = ex.stream(200, "application/json");
        ProgressStream progress = new ProgressStream(out);
        try {
            Digest d = images.push(ref, registry, progress);
            ObjectNode aux = Json.object();
            aux.put("progressDetail", "");
            ObjectNode a = aux.putObject("aux");
            a.put("Tag", ref.tag());
            a.put("Digest", d.toString());
            progress.write(aux);
            events.publish("image", "push", ref.familiar(), Map.of("name", ref.familiarName()));
        } catch (RuntimeException e) {
            progress.error(e.getMessage());
        }
        out.close();
    }

    /** Credentials the client sent in {@code X-Registry-Auth} (base64url JSON), for whatever host is asked. */
    private RegistryClient registry(Exchange ex) {
        Optional<Credentials> creds = Optional.empty();
        String header = ex.header("X-Registry-Auth");
        if (header != null && !header.isBlank()) {
            try {
                JsonNode auth = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(header.strip().replace('+', '-').replace('/', '_')));
                String user = auth.path("username").asText("");
                if (!user.isEmpty()) creds = Optional.of(new Credentials(user, auth.path("password").asText("")));
            } catch (Exception e) {
                // docker sends "e30=" ({}) or nothing usable for anonymous pulls
            }
        }
        Optional<Credentials> c = creds;
        return new RegistryClient(RegistryClient.newHttpClient(), host -> c, hosts, RegistryClient.DEFAULT_CHUNK_SIZE);
    }

    private void auth(Exchange ex) {
        JsonNode body = ex.jsonBody();
        String server = body.path("serveraddress").asText("");
        if (server.isEmpty() || server.contains("index.docker.io")) server = "registry-1.docker.io";
        server = server.replaceFirst("^https?://", "").replaceFirst("/.*$", "");
        RegistryClient registry = new RegistryClient(RegistryClient.newHttpClient(), host -> Optional.empty(), hosts,
                RegistryClient.DEFAULT_CHUNK_SIZE);
        try {
            registry.checkLogin(server, new Credentials(body.path("username").asText(""), body.path("password").asText("")));
        } catch (RuntimeException e) {
            throw new EngineException.Unauthorized(e.getMessage());
        }
        ObjectNode o = Json.object();
        o.put("Status", "Login Succeeded");
        o.put("IdentityToken", "");
        ex.json(200, o);
    }

    private void history(Exchange ex) {
        ImageStore.Image img = images.get(ex.param("name"));
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (ImageViews.HistoryRow row : views.history(img)) {
            ObjectNode o = out.addObject();
            o.put("Id", row.id() == null ? "<missing>" : row.id().toString());
            o.put("Created", row.created() == null ? 0 : Instant.parse(row.created()).getEpochSecond());
            o.put("CreatedBy", row.createdBy() == null ? "" : row.createdBy());
            o.putArray("Tags");
            o.put("Size", row.size());
            o.put("Comment", row.comment() == null ? "" : row.comment());
        }
        ex.json(200, out);
    }

    private void tag(Exchange ex) {
        String repo = ex.query("repo");
        if (repo == null || repo.isEmpty()) throw new EngineException.Invalid("repository name must have at least one component");
        String tag = ex.query("tag");
        Reference target = Reference.parse(tag == null || tag.isEmpty() ? repo : repo + ":" + tag);
        ImageStore.Image img = images.tag(ex.param("name"), target.toString());
        events.publish("image", "tag", img.id().toString(), Map.of("name", target.familiar()));
        ex.status(201);
    }

    private void remove(Exchange ex) {
        String name = ex.param("name");
        boolean force = ex.queryBool("force", false);
        ImageStore.Image img = images.get(name);
        Optional<Container> user = containers.get().stream().filter(c -> img.id().toString().equals(c.image)).findFirst();
        boolean lastName = img.repoTags().size() <= 1 || name.startsWith("sha256:") || img.id().hex().startsWith(name);
        ArrayNode out = Json.MAPPER.createArrayNode();
        if (user.isPresent() && lastName) {
            Container c = user.get();
            if (!force || c.state.running()) {
                throw new EngineException.Conflict("conflict: unable to " + (img.id().hex().startsWith(name.replace("sha256:", ""))
                        ? "delete " + img.id().shortId() + " (" + (c.state.running() ? "cannot be forced" : "must be forced")
                        + ") - image is being used by " + (c.state.running() ? "running" : "stopped") + " container " + c.shortId()
                        : "remove repository reference \"" + name + "\" (must force) - container " + c.shortId()
                        + " is using its referenced image " + img.id().shortId()));
            }
            for (String t : img.repoTags()) {
                images.images().untag(Reference.parse(t));
                out.addObject().put("Untagged", Reference.parse(t).familiar());
            }
        } else {
            for (ImageService.Removal r : images.remove(name, force)) out.addObject().put(r.kind(), r.what());
        }
        events.publish("image", "delete", img.id().toString(), Map.of("name", name));
        ex.json(200, out);
    }

    private void prune(Exchange ex) {
        JsonNode filters = Filters.parse(ex.query("filters"));
        boolean all = Filters.values(filters, "dangling").contains("false");
        ImageService.Pruned p = images.prune(all,
                id -> containers.get().stream().anyMatch(c -> id.toString().equals(c.image)));
        ObjectNode o = Json.object();
        ArrayNode deleted = o.putArray("ImagesDeleted");
        for (ImageService.Removal r : p.removed()) {
            deleted.addObject().put(r.kind().equals("deleted") ? "Deleted" : "Untagged", r.what());
        }
        if (deleted.isEmpty()) o.putNull("ImagesDeleted");
        o.put("SpaceReclaimed", p.reclaimed());
        ex.json(200, o);
    }

    private void saveMany(Exchange ex) throws Exception {
        save(ex, ex.queryAll("names"));
    }

    private void save(Exchange ex, List<String> names) throws Exception {
        for (String n : names) images.get(n);
        OutputStream out = ex.stream(200, "application/x-tar");
        new ArchiveWriter(images).save(names, out);
        out.close();
    }

    private void load(Exchange ex) throws Exception {
        boolean quiet = ex.queryBool("quiet", false);
        OutputStream out = ex.stream(200, "application/json");
        ProgressStream progress = new ProgressStream(out);
        try {
            List<String> loaded = new ArchiveReader(images).load(ex.body(), Platform.LINUX_AMD64,
                    quiet ? berth.image.Progress.NONE : progress);
            for (String l : loaded) progress.stream(l + "\n");
        } catch (RuntimeException e) {
            progress.error(e.getMessage());
        }
        out.close();
    }
}
