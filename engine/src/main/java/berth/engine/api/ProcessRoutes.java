package berth.engine.api;

import berth.engine.Container;
import berth.engine.ContainerStore;
import berth.engine.EngineException;
import berth.engine.Json;
import berth.engine.http.Exchange;
import berth.engine.http.Router;
import berth.runtime.ContainerRuntime;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A running container's processes and resources: {@code top}, {@code stats}, {@code update}. */
final class ProcessRoutes {
    private final ContainerStore store;
    private final ContainerRuntime runtime;

    ProcessRoutes(ContainerStore store, ContainerRuntime runtime) {
        this.store = store;
        this.runtime = runtime;
    }

    void register(Router r) {
        r.on("GET", "/containers/{id}/top", this::top);
        r.on("GET", "/containers/{id}/stats", this::stats);
        r.on("POST", "/containers/{id}/update", this::update);
    }

    private Container running(Exchange ex) {
        Container c = store.get(ex.param("id"));
        if (!c.state.running()) throw new EngineException.Conflict("Container " + c.id + " is not running");
        return c;
    }

    /** {@code ps -ef}'s columns, read from /proc for each process in the container's cgroup. */
    private void top(Exchange ex) throws IOException {
        Container c = running(ex);
        ObjectNode o = Json.object();
        ArrayNode titles = o.putArray("Titles");
        List.of("UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD").forEach(titles::add);
        ArrayNode procs = o.putArray("Processes");
        for (int pid : runtime.pids(c.id)) {
            Path proc = Path.of("/proc/" + pid);
            try {
                String stat = Files.readString(proc.resolve("stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                String cmd = new String(Files.readAllBytes(proc.resolve("cmdline"))).replace('\0', ' ').strip();
                String uid = "0";
                for (String l : Files.readAllLines(proc.resolve("status"))) if (l.startsWith("Uid:")) uid = l.split("\\s+")[1];
                long ticks = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100;
                ArrayNode row = procs.addArray();
                row.add(uid).add(String.valueOf(pid)).add(f[1]).add("0").add("-").add("?")
                        .add(String.format("%02d:%02d:%02d", ticks / 3600, ticks / 60 % 60, ticks % 60))
                        .add(cmd.isEmpty() ? "[" + stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')) + "]" : cmd);
            } catch (IOException | RuntimeException e) {
                // the process ended while we looked
            }
        }
        ex.json(200, o);
    }

    /** Docker's stats shape from the cgroup's figures; one sample with {@code stream=0}, else one a second. */
    private void stats(Exchange ex) throws Exception {
        Container c = store.get(ex.param("id"));
        boolean stream = ex.queryBool("stream", true) && !ex.queryBool("one-shot", false);
        OutputStream out = ex.stream(200, "application/json");
        ObjectNode previous = null;
        do {
            ObjectNode s = sample(c, previous);
            out.write(Json.MAPPER.writeValueAsBytes(s));
            out.write('\n');
            out.flush();
            previous = s;
            if (stream) Thread.sleep(1000);
        } while (stream && !ex.clientGone() && c.state.running());
        out.close();
    }

    @SuppressWarnings("unchecked")
    private ObjectNode sample(Container c, ObjectNode previous) {
        Map<String, Object> st = c.state.running() ? runtime.stats(c.id) : Map.of();
        ObjectNode o = Json.object();
        o.put("read", Json.time(Instant.now()));
        o.put("preread", previous == null ? Json.ZERO_TIME : previous.get("read").asText());
        o.put("name", "/" + c.name);
        o.put("id", c.id);
        Map<String, Object> pids = (Map<String, Object>) st.getOrDefault("pids", Map.of());
        o.putObject("pids_stats").put("current", number(pids.get("current")));
        Map<String, Object> mem = (Map<String, Object>) st.getOrDefault("memory", Map.of());
        Map<String, Object> usage = (Map<String, Object>) mem.getOrDefault("usage", Map.of());
        ObjectNode m = o.putObject("memory_stats");
        m.put("usage", number(usage.get("usage")));
        long limit = number(usage.get("limit"));
        m.put("limit", limit <= 0 || limit > (1L << 60) ? SystemRoutes.memTotal() : limit);
        m.set("stats", Json.MAPPER.valueToTree(mem.getOrDefault("raw", Map.of())));
        Map<String, Object> cpu = (Map<String, Object>) st.getOrDefault("cpu", Map.of());
        Map<String, Object> cpuUsage = (Map<String, Object>) cpu.getOrDefault("usage", Map.of());
        ObjectNode cs = o.putObject("cpu_stats");
        ObjectNode cu = cs.putObject("cpu_usage");
        cu.put("total_usage", number(cpuUsage.get("total")));
        cu.put("usage_in_kernelmode", number(cpuUsage.get("kernel")));
        cu.put("usage_in_usermode", number(cpuUsage.get("user")));
        cs.put("system_cpu_usage", systemCpu());
        cs.put("online_cpus", Runtime.getRuntime().availableProcessors());
        cs.putObject("throttling_data");
        o.set("precpu_stats", previous == null ? Json.object() : previous.get("cpu_stats"));
        o.putObject("blkio_stats");
        o.putObject("networks");
        return o;
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }

    private static long systemCpu() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long ticks = 0;
            for (int i = 1; i < Math.min(f.length, 8); i++) ticks += Long.parseLong(f[i]);
            return ticks * 10_000_000L; // USER_HZ 100 -> nanoseconds
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** {@code docker update}: new limits on the live cgroup and in the container's HostConfig; restart policy too. */
    private void update(Exchange ex) {
        Container c = store.get(ex.param("id"));
        JsonNode body = ex.jsonBody();
        Map<String, Object> res = new LinkedHashMap<>();
        Map<String, Object> cpu = new LinkedHashMap<>(), mem = new LinkedHashMap<>();
        long nano = body.path("NanoCpus").asLong(0);
        if (nano > 0) {
            cpu.put("period", 100_000L);
            cpu.put("quota", nano / 10_000L);
        }
        if (body.path("CpuShares").asLong(0) > 0) cpu.put("shares", body.get("CpuShares").asLong());
        if (body.path("CpuQuota").asLong(0) != 0) cpu.put("quota", body.get("CpuQuota").asLong());
        if (body.path("CpuPeriod").asLong(0) > 0) cpu.put("period", body.get("CpuPeriod").asLong());
        if (!body.path("CpusetCpus").asText("").isEmpty()) cpu.put("cpus", body.get("CpusetCpus").asText());
        if (body.path("Memory").asLong(0) > 0) mem.put("limit", body.get("Memory").asLong());
        if (body.path("MemorySwap").asLong(0) != 0) mem.put("swap", body.get("MemorySwap").asLong());
        if (!cpu.isEmpty()) res.put("cpu", cpu);
        if (!mem.isEmpty()) res.put("memory", mem);
        if (body.path("PidsLimit").asLong(0) != 0) res.put("pids", Map.of("limit", body.get("PidsLimit").asLong()));
        synchronized (c) {
            if (!res.isEmpty() && c.state.running()) runtime.update(c.id, res);
            for (String k : List.of("NanoCpus", "CpuShares", "CpuQuota", "CpuPeriod", "CpusetCpus", "Memory", "MemorySwap",
                    "PidsLimit", "RestartPolicy")) {
                JsonNode v = body.get(k);
                if (v != null && !v.isNull() && !(v.isNumber() && v.asLong() == 0) && !(v.isTextual() && v.asText().isEmpty())) {
                    c.hostConfig.set(k, v);
                }
            }
            store.save(c);
        }
        ObjectNode o = Json.object();
        o.putArray("Warnings");
        ex.json(200, o);
    }
}
