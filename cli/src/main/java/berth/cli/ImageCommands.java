package berth.cli;

import berth.cli.client.ApiClient;
import berth.cli.client.DaemonException;
import berth.cli.client.HttpRequest;
import berth.cli.client.HttpResponse;
import berth.cli.client.JsonMessages;
import berth.cli.client.Query;
import berth.image.Reference;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Image verbs over the API: images, rmi, tag, image inspect, history, import, image prune. */
final class ImageCommands {
    private ImageCommands() {}

    static final List<Main.Command> ALL = new ArrayList<>();

    private static void add(String words, String usage, String help, CliFlags flags, Main.Body body) {
        ALL.add(Main.Command.of(words, usage, help, flags, body));
    }

    static {
        CliFlags ls = new CliFlags()
                .bool("all", 'a', "show all images (default hides intermediate images)")
                .bool("quiet", 'q', "only show image IDs")
                .bool("digests", '\0', "show digests")
                .bool("no-trunc", '\0', "don't truncate output")
                .value("filter", 'f', "filter output based on conditions provided");
        add("images", "[OPTIONS] [REPOSITORY[:TAG]]", "List images", ls, ImageCommands::images);
        add("image ls", "[OPTIONS] [REPOSITORY[:TAG]]", "List images", ls, ImageCommands::images);
        CliFlags rm = new CliFlags().bool("force", 'f', "force removal of the image").bool("no-prune", '\0', "do not delete untagged parents");
        add("rmi", "[OPTIONS] IMAGE [IMAGE...]", "Remove one or more images", rm, ImageCommands::rmi);
        add("image rm", "[OPTIONS] IMAGE [IMAGE...]", "Remove one or more images", rm, ImageCommands::rmi);
        add("tag", "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]", "Create a tag that refers to an image", new CliFlags(), ImageCommands::tag);
        add("image tag", "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]", "Create a tag that refers to an image", new CliFlags(), ImageCommands::tag);
        add("image inspect", "[OPTIONS] IMAGE [IMAGE...]", "Display detailed information on one or more images",
                new CliFlags().value("format", 'f', "format the output using the given Go template"), ImageCommands::inspect);
        CliFlags history = new CliFlags().bool("no-trunc", '\0', "don't truncate output").bool("quiet", 'q', "only show image IDs")
                .value("human", 'H', "print sizes and dates in human readable format (default true)");
        add("history", "[OPTIONS] IMAGE", "Show the history of an image", history, ImageCommands::history);
        add("image history", "[OPTIONS] IMAGE", "Show the history of an image", history, ImageCommands::history);
        CliFlags imp = new CliFlags().value("change", 'c', "apply Dockerfile instruction to the created image")
                .value("message", 'm', "set commit message for imported image").value("platform", '\0', "set platform if server is multi-platform capable");
        add("import", "[OPTIONS] file|URL|- [REPOSITORY[:TAG]]", "Import the contents from a tarball to create a filesystem image", imp, ImageCommands::importTar);
        add("image import", "[OPTIONS] file|URL|- [REPOSITORY[:TAG]]", "Import the contents from a tarball to create a filesystem image", imp, ImageCommands::importTar);
        CliFlags prune = new CliFlags().bool("all", 'a', "remove all unused images, not just dangling ones").bool("force", 'f', "do not prompt for confirmation")
                .value("filter", '\0', "provide filter values (e.g. \"until=<timestamp>\")");
        add("image prune", "[OPTIONS]", "Remove unused images", prune, ImageCommands::prune);
    }

    static int images(Main m, CliFlags.Parsed p) throws IOException {
        List<String> filters = new ArrayList<>(p.all("filter"));
        if (!p.args().isEmpty()) filters.add("reference=" + p.args().getFirst());
        JsonNode list = m.api().get("/images/json", Query.of().flag("all", p.is("all")).flag("digests", p.is("digests")).filters(filters));
        boolean quiet = p.is("quiet"), noTrunc = p.is("no-trunc"), digests = p.is("digests");
        Table t = digests ? new Table("REPOSITORY", "TAG", "DIGEST", "IMAGE ID", "CREATED", "SIZE")
                : new Table("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE");
        for (JsonNode img : list) {
            String id = noTrunc ? img.path("Id").asText() : shortId(img.path("Id").asText());
            String created = Units.ago(Instant.ofEpochSecond(img.path("Created").asLong()));
            String size = Units.size(img.path("Size").asLong());
            List<String[]> names = new ArrayList<>();
            for (JsonNode tag : img.path("RepoTags")) {
                String rt = tag.asText();
                if (rt.equals("<none>:<none>")) continue;
                int colon = rt.lastIndexOf(':');
                names.add(new String[] {rt.substring(0, colon), rt.substring(colon + 1), digestOf(img, rt.substring(0, colon))});
            }
            if (names.isEmpty()) {
                String digest = "<none>";
                String repo = "<none>";
                for (JsonNode d : img.path("RepoDigests")) {
                    String rd = d.asText();
                    if (rd.equals("<none>@<none>")) continue;
                    repo = rd.substring(0, rd.indexOf('@'));
                    digest = rd.substring(rd.indexOf('@') + 1);
                }
                names.add(new String[] {repo, "<none>", digest});
            }
            for (String[] n : names) {
                if (quiet) m.out.println(id);
                else if (digests) t.row(n[0], n[1], n[2], id, created, size);
                else t.row(n[0], n[1], id, created, size);
            }
        }
        if (!quiet) t.print(m.out);
        return 0;
    }

    private static String digestOf(JsonNode img, String repo) {
        for (JsonNode d : img.path("RepoDigests")) {
            String rd = d.asText();
            int at = rd.indexOf('@');
            if (at > 0 && rd.substring(0, at).equals(repo)) return rd.substring(at + 1);
        }
        return "<none>";
    }

    /** The first twelve hex digits of an ID, without its {@code sha256:}. */
    static String shortId(String id) {
        String hex = id.startsWith("sha256:") ? id.substring(7) : id;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }

    static int rmi(Main m, CliFlags.Parsed p) throws IOException {
        if (p.args().isEmpty()) throw new UsageException("\"rmi\" requires at least 1 argument");
        ApiClient api = m.api();
        Query q = Query.of().flag("force", p.is("force")).flag("noprune", p.is("no-prune"));
        int status = 0;
        for (String name : p.args()) {
            try {
                printRemovals(m, api.delete("/images/" + name, q));
            } catch (DaemonException e) {
                m.err.println(Main.message(e));
                status = 1;
            }
        }
        return status;
    }

    static void printRemovals(Main m, JsonNode removals) {
        for (JsonNode r : removals) {
            if (r.hasNonNull("Untagged")) m.out.println("Untagged: " + r.get("Untagged").asText());
            if (r.hasNonNull("Deleted")) m.out.println("Deleted: " + r.get("Deleted").asText());
        }
    }

    static int tag(Main m, CliFlags.Parsed p) throws IOException {
        if (p.args().size() != 2) throw new UsageException("\"tag\" requires exactly 2 arguments");
        Reference target = Reference.parse(p.args().get(1));
        if (target.digest() != null) throw new UsageException("refusing to create a tag with a digest reference");
        m.api().post("/images/" + p.args().getFirst() + "/tag", Query.of().add("repo", target.familiarName()).add("tag", target.tag()), null);
        return 0;
    }

    static int inspect(Main m, CliFlags.Parsed p) throws IOException {
        return InspectCommand.inspect(m, p.args(), p.get("format"), List.of(InspectCommand.Kind.IMAGE));
    }

    static int history(Main m, CliFlags.Parsed p) throws IOException {
        String image = p.arg(0, "exactly 1 argument");
        JsonNode rows = m.api().get("/images/" + image + "/history", null);
        boolean noTrunc = p.is("no-trunc");
        boolean human = !"false".equals(p.get("human"));
        Table t = new Table("IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT");
        for (JsonNode r : rows) {
            String rawId = r.path("Id").asText();
            String id = rawId.equals("<missing>") ? rawId : noTrunc ? rawId : shortId(rawId);
            if (p.is("quiet")) {
                m.out.println(id);
                continue;
            }
            String by = r.path("CreatedBy").asText().replace('\t', ' ');
            if (!noTrunc && by.codePointCount(0, by.length()) > 45) by = by.substring(0, by.offsetByCodePoints(0, 44)) + "…";
            Instant created = Instant.ofEpochSecond(r.path("Created").asLong());
            long size = r.path("Size").asLong();
            t.row(id, human ? Units.ago(created) : created.toString(), by, human ? Units.size(size) : Long.toString(size),
                    r.path("Comment").asText());
        }
        if (!p.is("quiet")) t.print(m.out);
        return 0;
    }

    static int importTar(Main m, CliFlags.Parsed p) throws IOException {
        String source = p.arg(0, "at least 1 argument");
        Query q = Query.of();
        boolean url = source.startsWith("http://") || source.startsWith("https://");
        q.add("fromSrc", url ? source : "-");
        if (p.args().size() > 1) {
            Reference ref = Reference.parse(p.args().get(1));
            q.add("repo", ref.familiarName()).add("tag", ref.tag());
        }
        q.add("message", p.get("message")).add("platform", p.get("platform"));
        for (String c : p.all("change")) q.add("changes", c);
        InputStream in = url ? null : source.equals("-") ? m.in : Files.newInputStream(Path.of(source));
        try (HttpResponse r = m.api().call("POST", "/images/create", q,
                in == null ? null : HttpRequest.Body.stream(in, "application/x-tar"), Map.of())) {
            JsonMessages.each(r.body(), msg -> {
                if (msg.hasNonNull("status")) m.out.println(msg.get("status").asText());
            });
        } finally {
            if (in != null && in != m.in) in.close();
        }
        return 0;
    }

    static int prune(Main m, CliFlags.Parsed p) throws IOException {
        String warning = p.is("all") ? "WARNING! This will remove all images without at least one container associated to them."
                : "WARNING! This will remove all dangling images.";
        if (!p.is("force") && !Prompt.confirm(m, warning)) return 0;
        List<String> filters = new ArrayList<>(p.all("filter"));
        if (p.is("all")) filters.add("dangling=false");
        JsonNode r = m.api().post("/images/prune", Query.of().filters(filters), null);
        if (r.path("ImagesDeleted").size() > 0) {
            m.out.println("Deleted Images:");
            printRemovals(m, r.path("ImagesDeleted"));
            m.out.println();
        }
        m.out.println("Total reclaimed space: " + Units.size(r.path("SpaceReclaimed").asLong()));
        return 0;
    }
}
