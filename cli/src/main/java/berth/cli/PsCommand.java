package berth.cli;

import berth.cli.client.Json;
import berth.cli.client.Query;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ps}: the daemon's container list as the docker CLI's formatter shows it. Each container becomes a
 * row of the formatter's fields (ID, Image, Command, CreatedAt, RunningFor, Ports, State, Status, Size,
 * Names, Labels, Mounts, Networks, LocalVolumes), which the default table or a {@code --format} template
 * prints ({@code table} prefix for a header, {@code {{json .}}} for the row as JSON).
 */
final class PsCommand {
    private PsCommand() {}

    static final List<Main.Command> ALL;

    /** Header of each field in a {@code table} format, as the docker CLI names them. */
    private static final Map<String, String> HEADERS = Map.ofEntries(
            Map.entry("ID", "CONTAINER ID"), Map.entry("Image", "IMAGE"), Map.entry("Command", "COMMAND"),
            Map.entry("CreatedAt", "CREATED AT"), Map.entry("RunningFor", "CREATED"), Map.entry("Ports", "PORTS"),
            Map.entry("State", "STATE"), Map.entry("Status", "STATUS"), Map.entry("Size", "SIZE"), Map.entry("Names", "NAMES"),
            Map.entry("Labels", "LABELS"), Map.entry("Mounts", "MOUNTS"), Map.entry("Networks", "NETWORKS"),
            Map.entry("LocalVolumes", "LOCAL VOLUMES"));
    private static final String DEFAULT_FORMAT = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";
    private static final DateTimeFormatter CREATED_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z z");

    static {
        CliFlags f = new CliFlags().bool("all", 'a', "show all containers (default shows just running)")
                .bool("quiet", 'q', "only display container IDs").value("last", 'n', "show n last created containers (includes all states)")
                .bool("latest", 'l', "show the latest created container (includes all states)")
                .bool("no-trunc", '\0', "don't truncate output").bool("size", 's', "display total file sizes")
                .value("filter", 'f', "filter output based on conditions provided").value("format", '\0', "format output using a custom template");
        ALL = List.of(Main.Command.of("ps", "[OPTIONS]", "List containers", f, PsCommand::ps),
                Main.Command.of("container ls", "[OPTIONS]", "List containers", f, PsCommand::ps),
                Main.Command.of("container list", "[OPTIONS]", "List containers", f, PsCommand::ps));
    }

    static int ps(Main m, CliFlags.Parsed p) throws IOException {
        int last = p.get("last") == null ? -1 : (int) ContainerOptions.integer(p.get("last"), "--last");
        if (p.is("latest")) last = 1;
        String format = p.get("format");
        boolean size = p.is("size") || (format != null && format.contains(".Size"));
        if (p.is("size") && format == null) format = DEFAULT_FORMAT + "\t{{.Size}}";
        Query q = Query.of().flag("all", p.is("all") || last > 0).add("limit", last > 0 ? last : null).flag("size", size).filters(p.all("filter"));
        JsonNode list = m.api().get("/containers/json", q);
        boolean trunc = !p.is("no-trunc");
        if (p.is("quiet") && format == null) {
            for (JsonNode c : list) m.out.println(trunc ? ImageCommands.shortId(c.path("Id").asText()) : c.path("Id").asText());
            return 0;
        }
        List<ObjectNode> rows = new ArrayList<>();
        for (JsonNode c : list) rows.add(row(c, trunc));
        Listing.print(m, format == null ? DEFAULT_FORMAT : format, rows, HEADERS);
        return 0;
    }

    /** One container as the docker CLI's formatter context presents it: every field a string. */
    static ObjectNode row(JsonNode c, boolean trunc) {
        ObjectNode r = Json.object();
        String id = c.path("Id").asText();
        r.put("ID", trunc ? ImageCommands.shortId(id) : id);
        String image = c.path("Image").asText();
        if (trunc && image.startsWith("sha256:")) image = ImageCommands.shortId(image);
        else if (trunc && image.contains("@sha256:")) image = image.substring(0, image.indexOf('@'));
        r.put("Image", image);
        String command = c.path("Command").asText();
        r.put("Command", "\"" + (trunc ? ellipsis(command, 20) : command) + "\"");
        Instant created = Instant.ofEpochSecond(c.path("Created").asLong());
        r.put("CreatedAt", CREATED_AT.format(created.atZone(ZoneId.systemDefault())));
        r.put("RunningFor", Units.ago(created));
        r.put("Ports", ports(c.path("Ports")));
        r.put("State", c.path("State").asText());
        r.put("Status", c.path("Status").asText());
        long rw = c.path("SizeRw").asLong(), rootFs = c.path("SizeRootFs").asLong();
        r.put("Size", Units.size(rw) + (rootFs > 0 ? " (virtual " + Units.size(rootFs) + ")" : ""));
        List<String> names = new ArrayList<>();
        for (JsonNode n : c.path("Names")) {
            String name = n.asText();
            if (trunc && name.indexOf('/', 1) >= 0) continue; // a link's name: /other/alias
            names.add(name.startsWith("/") ? name.substring(1) : name);
        }
        r.put("Names", String.join(",", names));
        List<String> labels = new ArrayList<>();
        c.path("Labels").fields().forEachRemaining(e -> labels.add(e.getKey() + "=" + e.getValue().asText()));
        labels.sort(null);
        r.put("Labels", String.join(",", labels));
        List<String> mounts = new ArrayList<>();
        int local = 0;
        for (JsonNode mt : c.path("Mounts")) {
            String name = mt.path("Name").asText(mt.path("Source").asText());
            mounts.add(trunc ? ellipsis(name, 15) : name);
            if (mt.path("Driver").asText().equals("local")) local++;
        }
        r.put("Mounts", String.join(",", mounts));
        r.put("LocalVolumes", Integer.toString(local));
        List<String> networks = new ArrayList<>();
        c.path("NetworkSettings").path("Networks").fieldNames().forEachRemaining(networks::add);
        networks.sort(null);
        r.put("Networks", String.join(",", networks));
        return r;
    }

    static String ellipsis(String s, int max) {
        if (s.codePointCount(0, s.length()) <= max) return s;
        return s.substring(0, s.offsetByCodePoints(0, max - 1)) + "…";
    }

    /**
     * {@code 127.0.0.1:8080->80/tcp, [::]:8080->80/tcp, 443/tcp}, ordered as the docker CLI orders them: by
     * private port, public port, protocol, then address (ranges are not folded together).
     */
    static String ports(JsonNode ports) {
        List<JsonNode> sorted = new ArrayList<>();
        ports.forEach(sorted::add);
        sorted.sort(java.util.Comparator.<JsonNode>comparingInt(p -> p.path("PrivatePort").asInt())
                .thenComparingInt(p -> p.path("PublicPort").asInt())
                .thenComparing(p -> p.path("Type").asText())
                .thenComparing(p -> p.path("IP").asText()));
        List<String> out = new ArrayList<>();
        for (JsonNode pt : sorted) {
            String key = pt.path("PrivatePort").asInt() + "/" + pt.path("Type").asText("tcp");
            int published = pt.path("PublicPort").asInt();
            if (published <= 0) {
                out.add(key);
                continue;
            }
            String ip = pt.path("IP").asText("");
            String host = ip.isEmpty() ? "" : (ip.contains(":") ? "[" + ip + "]" : ip) + ":";
            out.add(host + published + "->" + key);
        }
        return String.join(", ", out.stream().distinct().toList());
    }
}
