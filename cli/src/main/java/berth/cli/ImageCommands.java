package berth.cli;

import berth.image.ConfigChanges;
import berth.image.ImageConfig;
import berth.image.ImageJson;
import berth.image.ImageService;
import berth.image.ImageStore;
import berth.image.ImageViews;
import berth.image.Reference;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Local image commands: images, rmi, tag, inspect, history, import, image prune. */
final class ImageCommands {
    private ImageCommands() {}

    static final List<Main.Command> ALL = new ArrayList<>();

    private static void add(String words, String usage, String help, CliFlags flags, Main.Body body) {
        ALL.add(Main.Command.of(words, usage, help, flags, body));
    }

    static {
        CliFlags ls = new CliFlags()
                .bool("all", 'a', "show all images")
                .bool("quiet", 'q', "only show image IDs")
                .bool("digests", '\0', "show digests")
                .bool("no-trunc", '\0', "don't truncate output");
        add("images", "[OPTIONS] [REPOSITORY[:TAG]]", "List images", ls, ImageCommands::images);
        add("image ls", "[OPTIONS] [REPOSITORY[:TAG]]", "List images", ls, ImageCommands::images);
        CliFlags rm = new CliFlags().bool("force", 'f', "force removal of the image").bool("no-prune", '\0', "accepted; berth always prunes");
        add("rmi", "[OPTIONS] IMAGE [IMAGE...]", "Remove one or more images", rm, ImageCommands::rmi);
        add("image rm", "[OPTIONS] IMAGE [IMAGE...]", "Remove one or more images", rm, ImageCommands::rmi);
        add("tag", "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]", "Create a tag that refers to an image", new CliFlags(), ImageCommands::tag);
        add("image tag", "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]", "Create a tag that refers to an image", new CliFlags(), ImageCommands::tag);
        CliFlags inspect = new CliFlags().value("format", 'f', "unsupported; JSON only").value("type", '\0', "only image");
        add("image inspect", "IMAGE [IMAGE...]", "Display detailed information on one or more images", inspect, ImageCommands::inspect);
        add("inspect", "IMAGE [IMAGE...]", "Display detailed information on images", inspect, ImageCommands::inspect);
        CliFlags history = new CliFlags().bool("no-trunc", '\0', "don't truncate output").bool("quiet", 'q', "only show image IDs")
                .value("human", 'H', "print sizes and dates in human readable format (default true)");
        add("history", "[OPTIONS] IMAGE", "Show the history of an image", history, ImageCommands::history);
        add("image history", "[OPTIONS] IMAGE", "Show the history of an image", history, ImageCommands::history);
        CliFlags imp = new CliFlags().value("change", 'c', "apply a Dockerfile instruction to the image (CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL, EXPOSE, VOLUME, STOPSIGNAL)")
                .value("message", 'm', "set the commit message").value("platform", '\0', "accepted: linux/amd64 only");
        add("import", "[OPTIONS] file|- [REPOSITORY[:TAG]]", "Import the contents from a tarball to create a filesystem image", imp, ImageCommands::importTar);
        add("image import", "[OPTIONS] file|- [REPOSITORY[:TAG]]", "Import the contents from a tarball to create a filesystem image", imp, ImageCommands::importTar);
        CliFlags prune = new CliFlags().bool("all", 'a', "remove all unused images, not just dangling ones").bool("force", 'f', "do not prompt for confirmation")
                .value("filter", '\0', "unsupported");
        add("image prune", "[OPTIONS]", "Remove unused images", prune, ImageCommands::prune);
    }

    static int images(Main m, CliFlags.Parsed p) {
        ImageService svc = m.images();
        boolean quiet = p.is("quiet"), noTrunc = p.is("no-trunc"), digests = p.is("digests");
        String filter = p.args().isEmpty() ? null : p.args().getFirst();
        Table t = digests ? new Table("REPOSITORY", "TAG", "DIGEST", "IMAGE ID", "CREATED", "SIZE")
                : new Table("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE");
        List<String> seen = new ArrayList<>();
        for (ImageStore.Image img : svc.list()) {
            String id = noTrunc ? img.id().toString() : img.id().shortId();
            if (quiet) {
                if (!seen.contains(id) && (filter == null || matches(img, filter))) {
                    seen.add(id);
                    m.out.println(id);
                }
                continue;
            }
            ImageConfig cfg = svc.config(img);
            String created = Units.ago(cfg.created());
            String size = Units.size(svc.size(cfg));
            List<String[]> names = new ArrayList<>();
            for (String tag : img.repoTags()) {
                Reference r = Reference.parse(tag);
                names.add(new String[] {r.familiarName(), r.tag(), digestOf(img, r)});
            }
            if (names.isEmpty()) names.add(new String[] {"<none>", "<none>", img.repoDigests().isEmpty() ? "<none>"
                    : Reference.parse(img.repoDigests().getFirst()).digest().toString()});
            for (String[] n : names) {
                if (filter != null && !matchesName(n[0], n[1], filter)) continue;
                if (digests) t.row(n[0], n[1], n[2], id, created, size);
                else t.row(n[0], n[1], id, created, size);
            }
        }
        if (!quiet) t.print(m.out);
        return 0;
    }

    private static String digestOf(ImageStore.Image img, Reference tag) {
        for (String d : img.repoDigests()) {
            Reference r = Reference.parse(d);
            if (r.name().equals(tag.name())) return r.digest().toString();
        }
        return "<none>";
    }

    private static boolean matches(ImageStore.Image img, String filter) {
        for (String tag : img.repoTags()) {
            Reference r = Reference.parse(tag);
            if (matchesName(r.familiarName(), r.tag(), filter)) return true;
        }
        return false;
    }

    private static boolean matchesName(String repo, String tag, String filter) {
        Reference f = Reference.parse(filter);
        boolean tagGiven = filter.lastIndexOf(':') > filter.lastIndexOf('/');
        return f.familiarName().equals(repo) && (!tagGiven || f.tag().equals(tag));
    }

    static int rmi(Main m, CliFlags.Parsed p) {
        if (p.args().isEmpty()) throw new UsageException("\"rmi\" requires at least 1 argument");
        int status = 0;
        for (String name : p.args()) {
            try {
                for (ImageService.Removal r : m.images().remove(name, p.is("force"))) m.out.println(r);
            } catch (RuntimeException e) {
                m.err.println("Error: " + e.getMessage());
                status = 1;
            }
        }
        return status;
    }

    static int tag(Main m, CliFlags.Parsed p) {
        if (p.args().size() != 2) throw new UsageException("\"tag\" requires exactly 2 arguments");
        m.images().tag(p.args().get(0), p.args().get(1));
        return 0;
    }

    static int inspect(Main m, CliFlags.Parsed p) {
        if (p.args().isEmpty()) throw new UsageException("\"inspect\" requires at least 1 argument");
        if (p.get("format") != null) throw new UsageException("--format templates are not supported yet; the JSON is printed whole");
        ImageViews views = new ImageViews(m.images());
        ArrayNode all = JsonNodeFactory.instance.arrayNode();
        int status = 0;
        for (String name : p.args()) {
            var img = m.images().find(name);
            if (img.isEmpty()) {
                m.err.println("Error: No such image: " + name);
                status = 1;
                continue;
            }
            all.add(views.inspect(img.get()));
        }
        m.out.println(ImageJson.pretty(all));
        return status;
    }

    static int history(Main m, CliFlags.Parsed p) {
        ImageStore.Image img = m.images().get(p.arg(0, "exactly 1 argument"));
        boolean noTrunc = p.is("no-trunc");
        boolean human = !"false".equals(p.get("human"));
        Table t = new Table("IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT");
        for (ImageViews.HistoryRow r : new ImageViews(m.images()).history(img)) {
            String id = r.id() == null ? "<missing>" : noTrunc ? r.id().toString() : r.id().shortId();
            if (p.is("quiet")) {
                m.out.println(id);
                continue;
            }
            String by = r.createdBy();
            if (!noTrunc && by.length() > 45) by = by.substring(0, 44) + "…";
            t.row(id, human ? Units.ago(r.created()) : String.valueOf(r.created()), by,
                    human ? Units.size(r.size()) : Long.toString(r.size()), r.comment());
        }
        if (!p.is("quiet")) t.print(m.out);
        return 0;
    }

    static int importTar(Main m, CliFlags.Parsed p) throws Exception {
        String source = p.arg(0, "at least 1 argument");
        Reference tag = p.args().size() > 1 ? Reference.parse(p.args().get(1)) : null;
        ImageConfig.RunConfig rc = ConfigChanges.apply(null, p.all("change"));
        String now = Instant.now().toString();
        ImageConfig.History h = new ImageConfig.History(now, "", null,
                p.get("message", "Imported from " + source), null);
        try (InputStream in = source.equals("-") ? System.in : Files.newInputStream(Path.of(source))) {
            ImageStore.Image img = m.images().createImage(null, in, rc, h, tag);
            m.out.println(img.id());
        }
        return 0;
    }

    static int prune(Main m, CliFlags.Parsed p) {
        var pruned = m.images().prune(p.is("all"));
        if (!pruned.removed().isEmpty()) {
            m.out.println("Deleted Images:");
            for (var r : pruned.removed()) m.out.println(r);
            m.out.println();
        }
        m.out.println("Total reclaimed space: " + Units.size(pruned.reclaimed()));
        return 0;
    }
}
