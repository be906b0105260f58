package berth.image;

import berth.image.snapshot.ChainIds;
import berth.image.snapshot.OverlaySnapshotter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Images as Docker shows them: the {@code image inspect} document and the {@code history} rows. */
public final class ImageViews {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private final ImageService service;

    public ImageViews(ImageService service) {
        this.service = service;
    }

    /** {@code docker image inspect}'s JSON for one image (Engine API ImageInspect). */
    public ObjectNode inspect(ImageStore.Image img) {
        JsonNode cfg = ImageJson.tree(service.configBytes(img), "image config " + img.id());
        ImageConfig parsed = ImageJson.read(cfg, ImageConfig.class, "image config " + img.id());
        long size = service.size(parsed);
        ObjectNode o = F.objectNode();
        o.put("Id", img.id().toString());
        ArrayNode tags = o.putArray("RepoTags");
        for (String t : img.repoTags()) tags.add(Reference.parse(t).familiar());
        ArrayNode digests = o.putArray("RepoDigests");
        for (String d : img.repoDigests()) digests.add(Reference.parse(d).familiar());
        o.put("Parent", "");
        o.put("Comment", lastComment(parsed));
        o.put("Created", text(cfg, "created", "0001-01-01T00:00:00Z"));
        o.put("DockerVersion", text(cfg, "docker_version", ""));
        o.put("Author", text(cfg, "author", ""));
        o.set("Config", containerConfig(cfg.get("config")));
        o.put("Architecture", text(cfg, "architecture", ""));
        if (cfg.hasNonNull("variant")) o.put("Variant", cfg.get("variant").asText());
        o.put("Os", text(cfg, "os", ""));
        o.put("Size", size);
        o.put("VirtualSize", size);
        ObjectNode graph = o.putObject("GraphDriver");
        ObjectNode data = graph.putObject("Data");
        Digest top = service.topChain(parsed);
        if (top != null && service.snapshots() instanceof OverlaySnapshotter overlay) {
            List<String> dirs = overlay.layers(top).stream().map(Path::toString).toList();
            data.put("UpperDir", dirs.getFirst());
            if (dirs.size() > 1) data.put("LowerDir", String.join(":", dirs.subList(1, dirs.size())));
        }
        graph.put("Name", service.snapshots().name());
        ObjectNode rootfs = o.putObject("RootFS");
        rootfs.put("Type", "layers");
        ArrayNode layers = rootfs.putArray("Layers");
        for (Digest d : parsed.diffIds()) layers.add(d.toString());
        o.putObject("Metadata").put("LastTagTime", img.lastTagTime() != null ? img.lastTagTime() : "0001-01-01T00:00:00Z");
        return o;
    }

    /** The container config with every field Docker always prints, defaults first, the image's values over them. */
    static ObjectNode containerConfig(JsonNode given) {
        ObjectNode c = F.objectNode();
        c.put("Hostname", "");
        c.put("Domainname", "");
        c.put("User", "");
        c.put("AttachStdin", false);
        c.put("AttachStdout", false);
        c.put("AttachStderr", false);
        c.put("Tty", false);
        c.put("OpenStdin", false);
        c.put("StdinOnce", false);
        c.putNull("Env");
        c.putNull("Cmd");
        c.put("Image", "");
        c.putNull("Volumes");
        c.put("WorkingDir", "");
        c.putNull("Entrypoint");
        c.putNull("OnBuild");
        c.putNull("Labels");
        if (given != null && given.isObject()) given.fields().forEachRemaining(e -> c.set(e.getKey(), e.getValue()));
        return c;
    }

    private static String text(JsonNode n, String field, String dflt) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? dflt : v.asText();
    }

    private static String lastComment(ImageConfig c) {
        if (c.history() == null || c.history().isEmpty()) return "";
        String comment = c.history().getLast().comment();
        return comment == null ? "" : comment;
    }

    /** One row of {@code history}: newest first; {@code id} is null for layers below the image itself. */
    public record HistoryRow(Digest id, String created, String createdBy, long size, String comment) {}

    public List<HistoryRow> history(ImageStore.Image img) {
        ImageConfig c = service.config(img);
        List<Digest> chains = ChainIds.of(c.diffIds());
        List<ImageConfig.History> hist = c.history() != null ? c.history() : List.of();
        List<HistoryRow> rows = new ArrayList<>();
        int layer = 0;
        if (hist.isEmpty()) {
            for (Digest chain : chains) rows.add(new HistoryRow(null, c.created(), "", service.snapshots().size(chain), ""));
        }
        for (ImageConfig.History h : hist) {
            long size = 0;
            if (!Boolean.TRUE.equals(h.emptyLayer()) && layer < chains.size()) size = service.snapshots().size(chains.get(layer++));
            rows.add(new HistoryRow(null, h.created(), h.createdBy() == null ? "" : h.createdBy(), size,
                    h.comment() == null ? "" : h.comment()));
        }
        List<HistoryRow> out = new ArrayList<>(rows.reversed());
        if (!out.isEmpty()) {
            HistoryRow top = out.getFirst();
            out.set(0, new HistoryRow(img.id(), top.created(), top.createdBy(), top.size(), top.comment()));
        }
        return out;
    }
}
