package berth.cli;

import berth.cli.client.ApiClient;
import berth.cli.client.HttpResponse;
import berth.cli.client.Json;
import berth.cli.client.JsonMessages;
import berth.cli.client.Query;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code stats}: resource usage per container, computed from the daemon's stats as the docker CLI computes
 * it (CPU % from the deltas against {@code precpu_stats}, memory without the inactive page cache). With
 * {@code --no-stream} one sample is printed; otherwise the table is redrawn as samples arrive, until the
 * containers' streams end.
 */
final class StatsCommand {
    private StatsCommand() {}

    static final List<Main.Command> ALL;
    private static final Map<String, String> HEADERS = Map.of("Container", "CONTAINER", "ID", "CONTAINER ID", "Name", "NAME",
            "CPUPerc", "CPU %", "MemUsage", "MEM USAGE / LIMIT", "MemPerc", "MEM %", "NetIO", "NET I/O", "BlockIO", "BLOCK I/O", "PIDs", "PIDS");
    private static final String DEFAULT_FORMAT = "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}";

    static {
        CliFlags f = new CliFlags().bool("all", 'a', "show all containers (default shows just running)")
                .bool("no-stream", '\0', "disable streaming stats and only pull the first result")
                .bool("no-trunc", '\0', "do not truncate output").value("format", '\0', "format output using a custom template");
        ALL = List.of(Main.Command.of("stats", "[OPTIONS] [CONTAINER...]", "Display a live stream of container(s) resource usage statistics", f, StatsCommand::stats),
                Main.Command.of("container stats", "[OPTIONS] [CONTAINER...]", "Display a live stream of container(s) resource usage statistics", f, StatsCommand::stats));
    }

    static int stats(Main m, CliFlags.Parsed p) throws IOException, InterruptedException {
        ApiClient api = m.api();
        List<String> containers = new ArrayList<>(p.args());
        if (containers.isEmpty()) {
            for (JsonNode c : api.get("/containers/json", Query.of().flag("all", p.is("all")))) containers.add(c.path("Id").asText());
        }
        String format = p.get("format", DEFAULT_FORMAT);
        boolean trunc = !p.is("no-trunc");
        Map<String, ObjectNode> rows = new LinkedHashMap<>();
        if (p.is("no-stream")) {
            for (String c : containers) rows.put(c, row(c, api.get("/containers/" + c + "/stats", Query.of().add("stream", false)), trunc));
            Listing.print(m, format, List.copyOf(rows.values()), HEADERS);
            return 0;
        }
        List<Thread> readers = new ArrayList<>();
        for (String c : containers) {
            synchronized (rows) {
                rows.put(c, row(c, Json.object(), trunc));
            }
            Thread t = Thread.ofVirtual().start(() -> {
                try (HttpResponse r = api.call("GET", "/containers/" + c + "/stats", Query.of().add("stream", true), null, Map.of())) {
                    JsonMessages.each(r.body(), s -> {
                        synchronized (rows) {
                            rows.put(c, row(c, s, trunc));
                        }
                    });
                } catch (IOException | RuntimeException e) {
                    synchronized (rows) {
                        rows.remove(c);
                    }
                }
            });
            readers.add(t);
        }
        while (readers.stream().anyMatch(Thread::isAlive)) {
            Thread.sleep(1000);
            synchronized (rows) {
                m.out.print("\033[2J\033[H");
                Listing.print(m, format, List.copyOf(rows.values()), HEADERS);
                m.out.flush();
            }
        }
        return 0;
    }

    /** One sample as the formatter's fields; a container with no sample yet shows {@code --}. */
    static ObjectNode row(String container, JsonNode s, boolean trunc) {
        ObjectNode r = Json.object();
        String id = s.path("id").asText(container);
        r.put("Container", container).put("ID", trunc ? ImageCommands.shortId(id) : id);
        String name = s.path("name").asText("--");
        r.put("Name", name.startsWith("/") ? name.substring(1) : name);
        if (!s.has("cpu_stats")) {
            for (String f : List.of("CPUPerc", "MemUsage", "MemPerc", "NetIO", "BlockIO", "PIDs")) r.put(f, "--");
            return r;
        }
        JsonNode cpu = s.path("cpu_stats"), pre = s.path("precpu_stats");
        double cpuDelta = cpu.path("cpu_usage").path("total_usage").asDouble() - pre.path("cpu_usage").path("total_usage").asDouble();
        double systemDelta = cpu.path("system_cpu_usage").asDouble() - pre.path("system_cpu_usage").asDouble();
        int online = cpu.path("online_cpus").asInt(cpu.path("cpu_usage").path("percpu_usage").size());
        double cpuPercent = systemDelta > 0 && cpuDelta > 0 ? cpuDelta / systemDelta * online * 100 : 0;
        JsonNode mem = s.path("memory_stats");
        long cache = mem.path("stats").has("total_inactive_file") ? mem.path("stats").path("total_inactive_file").asLong()
                : mem.path("stats").path("inactive_file").asLong();
        long usage = Math.max(0, mem.path("usage").asLong() - cache);
        long limit = mem.path("limit").asLong();
        long rx = 0, tx = 0, read = 0, write = 0;
        for (JsonNode n : s.path("networks")) {
            rx += n.path("rx_bytes").asLong();
            tx += n.path("tx_bytes").asLong();
        }
        for (JsonNode io : s.path("blkio_stats").path("io_service_bytes_recursive")) {
            String op = io.path("op").asText().toLowerCase(Locale.ROOT);
            if (op.equals("read")) read += io.path("value").asLong();
            if (op.equals("write")) write += io.path("value").asLong();
        }
        r.put("CPUPerc", String.format(Locale.ROOT, "%.2f%%", cpuPercent));
        r.put("MemUsage", Units.binarySize(usage) + " / " + Units.binarySize(limit));
        r.put("MemPerc", String.format(Locale.ROOT, "%.2f%%", limit > 0 ? usage * 100.0 / limit : 0));
        r.put("NetIO", Units.size(rx) + " / " + Units.size(tx));
        r.put("BlockIO", Units.size(read) + " / " + Units.size(write));
        r.put("PIDs", Long.toString(s.path("pids_stats").path("current").asLong()));
        return r;
    }
}
