package berth.cli;

import berth.cli.client.ApiClient;
import berth.cli.client.DaemonException;
import berth.cli.client.Json;
import berth.cli.client.Query;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code volume create/ls/inspect/rm/prune}. */
final class VolumeCommands {
    private VolumeCommands() {}

    static final List<Main.Command> ALL = new ArrayList<>();
    private static final Map<String, String> HEADERS = Map.of("Name", "VOLUME NAME", "Driver", "DRIVER", "Scope", "SCOPE",
            "Mountpoint", "MOUNTPOINT", "Labels", "LABELS", "Links", "LINKS", "Size", "SIZE");

    static {
        CliFlags create = new CliFlags().value("driver", 'd', "specify volume driver name (default \"local\")")
                .value("opt", 'o', "set driver specific options").value("label", '\0', "set metadata for a volume")
                .value("name", '\0', "specify volume name");
        ALL.add(Main.Command.of("volume create", "[OPTIONS] [VOLUME]", "Create a volume", create, VolumeCommands::create));
        CliFlags ls = new CliFlags().bool("quiet", 'q', "only display volume names").value("filter", 'f', "provide filter values (e.g. \"dangling=true\")")
                .value("format", '\0', "format output using a custom template");
        ALL.add(Main.Command.of("volume ls", "[OPTIONS]", "List volumes", ls, VolumeCommands::ls));
        ALL.add(Main.Command.of("volume list", "[OPTIONS]", "List volumes", ls, VolumeCommands::ls));
        ALL.add(Main.Command.of("volume inspect", "[OPTIONS] VOLUME [VOLUME...]", "Display detailed information on one or more volumes",
                new CliFlags().value("format", 'f', "format the output using the given Go template"),
                (m, p) -> InspectCommand.inspect(m, p.args(), p.get("format"), List.of(InspectCommand.Kind.VOLUME))));
        CliFlags rm = new CliFlags().bool("force", 'f', "force the removal of one or more volumes");
        ALL.add(Main.Command.of("volume rm", "[OPTIONS] VOLUME [VOLUME...]", "Remove one or more volumes", rm, VolumeCommands::rm));
        CliFlags prune = new CliFlags().bool("force", 'f', "do not prompt for confirmation").bool("all", 'a', "remove all unused volumes, not just anonymous ones")
                .value("filter", '\0', "provide filter values (e.g. \"label=<label>\")");
        ALL.add(Main.Command.of("volume prune", "[OPTIONS]", "Remove unused local volumes", prune, VolumeCommands::prune));
    }

    static int create(Main m, CliFlags.Parsed p) throws IOException {
        String name = p.get("name");
        if (!p.args().isEmpty()) {
            if (name != null && !name.equals(p.args().getFirst())) throw new UsageException("conflicting options: either specify --name or provide positional arg, not both");
            name = p.args().getFirst();
        }
        ObjectNode body = Json.object();
        body.put("Name", name == null ? "" : name).put("Driver", p.get("driver", "local"));
        body.set("DriverOpts", keyValues(p.all("opt")));
        body.set("Labels", keyValues(p.all("label")));
        m.out.println(m.api().post("/volumes/create", null, body).path("Name").asText());
        return 0;
    }

    static ObjectNode keyValues(List<String> kvs) {
        ObjectNode o = Json.object();
        for (String kv : kvs) {
            int eq = kv.indexOf('=');
            o.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
        }
        return o;
    }

    static int ls(Main m, CliFlags.Parsed p) throws IOException {
        JsonNode volumes = m.api().get("/volumes", Query.of().filters(p.all("filter"))).path("Volumes");
        List<ObjectNode> rows = new ArrayList<>();
        for (JsonNode v : volumes) {
            ObjectNode r = v.deepCopy();
            List<String> labels = new ArrayList<>();
            v.path("Labels").fields().forEachRemaining(e -> labels.add(e.getKey() + "=" + e.getValue().asText()));
            labels.sort(null);
            r.put("Labels", String.join(",", labels));
            rows.add(r);
        }
        rows.sort((a, b) -> a.path("Name").asText().compareTo(b.path("Name").asText()));
        String format = p.is("quiet") ? "{{.Name}}" : p.get("format", "table {{.Driver}}\t{{.Name}}");
        Listing.print(m, format, rows, HEADERS);
        return 0;
    }

    static int rm(Main m, CliFlags.Parsed p) throws IOException {
        if (p.args().isEmpty()) throw new UsageException("\"volume rm\" requires at least 1 argument");
        ApiClient api = m.api();
        int status = 0;
        for (String v : p.args()) {
            try {
                api.delete("/volumes/" + v, Query.of().flag("force", p.is("force")));
                m.out.println(v);
            } catch (DaemonException e) {
                m.err.println(Main.message(e));
                status = 1;
            }
        }
        return status;
    }

    static int prune(Main m, CliFlags.Parsed p) throws IOException {
        String warning = p.is("all") ? "WARNING! This will remove all local volumes not used by at least one container."
                : "WARNING! This will remove anonymous local volumes not used by at least one container.";
        if (!p.is("force") && !Prompt.confirm(m, warning)) return 0;
        ApiClient api = m.api();
        List<String> filters = new ArrayList<>(p.all("filter"));
        if (p.is("all")) {
            if (!api.atLeast("1.42")) throw new UsageException("--all requires API version 1.42, the daemon speaks " + api.version());
            filters.add("all=true");
        }
        JsonNode r = api.post("/volumes/prune", Query.of().filters(filters), null);
        if (r.path("VolumesDeleted").size() > 0) {
            m.out.println("Deleted Volumes:");
            for (JsonNode v : r.path("VolumesDeleted")) m.out.println(v.asText());
            m.out.println();
        }
        m.out.println("Total reclaimed space: " + Units.size(r.path("SpaceReclaimed").asLong()));
        return 0;
    }
}
