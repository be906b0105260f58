package berth.cli;

import berth.cli.client.ApiClient;
import berth.cli.client.DaemonException;
import berth.cli.client.Json;
import berth.cli.client.Query;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code network create/ls/inspect/rm/connect/disconnect/prune}. */
final class NetworkCommands {
    private NetworkCommands() {}

    static final List<Main.Command> ALL = new ArrayList<>();
    private static final Map<String, String> HEADERS = Map.of("ID", "NETWORK ID", "Name", "NAME", "Driver", "DRIVER", "Scope", "SCOPE",
            "IPv6", "IPV6", "Internal", "INTERNAL", "Labels", "LABELS", "CreatedAt", "CREATED AT");

    static {
        CliFlags create = new CliFlags().value("driver", 'd', "driver to manage the network (default \"bridge\")")
                .value("subnet", '\0', "subnet in CIDR format that represents a network segment")
                .value("gateway", '\0', "IPv4 or IPv6 gateway for the master subnet")
                .value("ip-range", '\0', "allocate container ip from a sub-range")
                .value("opt", 'o', "set driver specific options").value("label", '\0', "set metadata on a network")
                .bool("internal", '\0', "restrict external access to the network").bool("attachable", '\0', "enable manual container attachment")
                .bool("ipv6", '\0', "enable IPv6 networking");
        ALL.add(Main.Command.of("network create", "[OPTIONS] NETWORK", "Create a network", create, NetworkCommands::create));
        CliFlags ls = new CliFlags().bool("quiet", 'q', "only display network IDs").bool("no-trunc", '\0', "do not truncate the output")
                .value("filter", 'f', "provide filter values (e.g. \"driver=bridge\")").value("format", '\0', "format output using a custom template");
        ALL.add(Main.Command.of("network ls", "[OPTIONS]", "List networks", ls, NetworkCommands::ls));
        ALL.add(Main.Command.of("network list", "[OPTIONS]", "List networks", ls, NetworkCommands::ls));
        ALL.add(Main.Command.of("network inspect", "[OPTIONS] NETWORK [NETWORK...]", "Display detailed information on one or more networks",
                new CliFlags().value("format", 'f', "format the output using the given Go template"),
                (m, p) -> InspectCommand.inspect(m, p.args(), p.get("format"), List.of(InspectCommand.Kind.NETWORK))));
        ALL.add(Main.Command.of("network rm", "NETWORK [NETWORK...]", "Remove one or more networks", new CliFlags(), NetworkCommands::rm));
        CliFlags connect = new CliFlags().value("alias", '\0', "add network-scoped alias for the container")
                .value("ip", '\0', "IPv4 address (e.g., \"172.30.100.104\")").value("link", '\0', "add link to another container");
        ALL.add(Main.Command.of("network connect", "[OPTIONS] NETWORK CONTAINER", "Connect a container to a network", connect, NetworkCommands::connect));
        ALL.add(Main.Command.of("network disconnect", "[OPTIONS] NETWORK CONTAINER", "Disconnect a container from a network",
                new CliFlags().bool("force", 'f', "force the container to disconnect from a network"), NetworkCommands::disconnect));
        CliFlags prune = new CliFlags().bool("force", 'f', "do not prompt for confirmation").value("filter", '\0', "provide filter values (e.g. \"until=<timestamp>\")");
        ALL.add(Main.Command.of("network prune", "[OPTIONS]", "Remove all unused networks", prune, NetworkCommands::prune));
    }

    static int create(Main m, CliFlags.Parsed p) throws IOException {
        String name = p.arg(0, "exactly 1 argument");
        ObjectNode body = Json.object();
        body.put("Name", name).put("Driver", p.get("driver", "bridge")).put("CheckDuplicate", true)
                .put("Internal", p.is("internal")).put("Attachable", p.is("attachable")).put("EnableIPv6", p.is("ipv6"));
        body.set("Options", VolumeCommands.keyValues(p.all("opt")));
        body.set("Labels", VolumeCommands.keyValues(p.all("label")));
        ObjectNode ipam = body.putObject("IPAM").put("Driver", "default");
        ArrayNode config = ipam.putArray("Config");
        List<String> subnets = p.all("subnet"), gateways = p.all("gateway"), ranges = p.all("ip-range");
        if (subnets.isEmpty() && (!gateways.isEmpty() || !ranges.isEmpty())) throw new UsageException("--gateway and --ip-range need a --subnet");
        if (gateways.size() > subnets.size() || ranges.size() > subnets.size()) throw new UsageException("give at most one --gateway and one --ip-range per --subnet");
        for (int i = 0; i < subnets.size(); i++) {
            ObjectNode c = config.addObject().put("Subnet", subnets.get(i));
            if (i < gateways.size()) c.put("Gateway", gateways.get(i));
            if (i < ranges.size()) c.put("IPRange", ranges.get(i));
        }
        JsonNode r = m.api().post("/networks/create", null, body);
        if (!r.path("Warning").asText("").isEmpty()) m.err.println("WARNING: " + r.path("Warning").asText());
        m.out.println(r.path("Id").asText());
        return 0;
    }

    static int ls(Main m, CliFlags.Parsed p) throws IOException {
        JsonNode networks = m.api().get("/networks", Query.of().filters(p.all("filter")));
        boolean trunc = !p.is("no-trunc");
        List<ObjectNode> rows = new ArrayList<>();
        for (JsonNode n : networks) {
            ObjectNode r = Json.object();
            String id = n.path("Id").asText();
            r.put("ID", trunc && id.length() > 12 ? id.substring(0, 12) : id);
            r.put("Name", n.path("Name").asText()).put("Driver", n.path("Driver").asText()).put("Scope", n.path("Scope").asText());
            r.put("IPv6", n.path("EnableIPv6").asBoolean()).put("Internal", n.path("Internal").asBoolean());
            r.put("CreatedAt", n.path("Created").asText());
            List<String> labels = new ArrayList<>();
            n.path("Labels").fields().forEachRemaining(e -> labels.add(e.getKey() + "=" + e.getValue().asText()));
            labels.sort(null);
            r.put("Labels", String.join(",", labels));
            rows.add(r);
        }
        rows.sort((a, b) -> a.path("Name").asText().compareTo(b.path("Name").asText()));
        String format = p.is("quiet") ? "{{.ID}}" : p.get("format", "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}");
        Listing.print(m, format, rows, HEADERS);
        return 0;
    }

    static int rm(Main m, CliFlags.Parsed p) throws IOException {
        if (p.args().isEmpty()) throw new UsageException("\"network rm\" requires at least 1 argument");
        ApiClient api = m.api();
        int status = 0;
        for (String n : p.args()) {
            try {
                api.delete("/networks/" + n, null);
                m.out.println(n);
            } catch (DaemonException e) {
                m.err.println(Main.message(e));
                status = 1;
            }
        }
        return status;
    }

    static int connect(Main m, CliFlags.Parsed p) throws IOException {
        if (p.args().size() != 2) throw new UsageException("\"network connect\" requires exactly 2 arguments");
        ObjectNode body = Json.object().put("Container", p.args().get(1));
        ObjectNode endpoint = body.putObject("EndpointConfig");
        if (!p.all("alias").isEmpty()) {
            ArrayNode aliases = endpoint.putArray("Aliases");
            p.all("alias").forEach(aliases::add);
        }
        if (p.get("ip") != null) endpoint.putObject("IPAMConfig").put("IPv4Address", p.get("ip"));
        if (!p.all("link").isEmpty()) {
            ArrayNode links = endpoint.putArray("Links");
            p.all("link").forEach(links::add);
        }
        m.api().post("/networks/" + p.args().getFirst() + "/connect", null, body);
        return 0;
    }

    static int disconnect(Main m, CliFlags.Parsed p) throws IOException {
        if (p.args().size() != 2) throw new UsageException("\"network disconnect\" requires exactly 2 arguments");
        ObjectNode body = Json.object().put("Container", p.args().get(1)).put("Force", p.is("force"));
        m.api().post("/networks/" + p.args().getFirst() + "/disconnect", null, body);
        return 0;
    }

    static int prune(Main m, CliFlags.Parsed p) throws IOException {
        if (!p.is("force") && !Prompt.confirm(m, "WARNING! This will remove all custom networks not used by at least one container.")) return 0;
        JsonNode r = m.api().post("/networks/prune", Query.of().filters(p.all("filter")), null);
        if (r.path("NetworksDeleted").size() > 0) {
            m.out.println("Deleted Networks:");
            for (JsonNode n : r.path("NetworksDeleted")) m.out.println(n.asText());
        }
        return 0;
    }
}
