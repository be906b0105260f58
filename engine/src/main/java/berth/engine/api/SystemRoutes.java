package berth.engine.api;

import berth.engine.Container;
import berth.engine.ContainerStore;
import berth.engine.Events;
import berth.engine.Json;
import berth.engine.http.Exchange;
import berth.engine.http.Router;
import berth.image.ImageService;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** {@code /_ping}, {@code /version}, {@code /info}, {@code /events}. */
final class SystemRoutes {
    static final String VERSION = "0.1.0";
    /**
     * The Docker Engine release whose API (1.44) berth serves, in the top-level version fields that clients read
     * as the engine's version ({@code /version} Version, {@code /info} ServerVersion): Testcontainers refuses a
     * server below 1.6.0. berth's own version is in {@code /version}'s Engine component, which the docker CLI shows.
     */
    static final String DOCKER_COMPATIBLE_VERSION = "25.0.0";
    private final ContainerStore store;
    private final ImageService images;
    private final Events events;
    private final Path root;

    SystemRoutes(ContainerStore store, ImageService images, Events events, Path root) {
        this.store = store;
        this.images = images;
        this.events = events;
        this.root = root;
    }

    void register(Router r) {
        r.on("GET", "/_ping", this::ping);
        r.on("HEAD", "/_ping", this::ping);
        r.on("GET", "/version", ex -> ex.json(200, version()));
        r.on("GET", "/info", ex -> ex.json(200, info()));
        r.on("GET", "/events", this::events);
    }

    private void ping(Exchange ex) throws IOException {
        OutputStream out = ex.stream(200, "text/plain; charset=utf-8");
        if (!ex.method().equals("HEAD")) out.write("OK".getBytes());
        out.close();
    }

    private static String kernel() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private ObjectNode version() {
        ObjectNode o = Json.object();
        o.putObject("Platform").put("Name", "berth");
        ArrayNode comps = o.putArray("Components");
        ObjectNode engine = comps.addObject();
        engine.put("Name", "Engine");
        engine.put("Version", VERSION);
        ObjectNode d = engine.putObject("Details");
        d.put("ApiVersion", Router.MAX_VERSION);
        d.put("MinAPIVersion", Router.MIN_VERSION);
        d.put("Os", "linux");
        d.put("Arch", "amd64");
        d.put("KernelVersion", kernel());
        o.put("Version", DOCKER_COMPATIBLE_VERSION);
        o.put("ApiVersion", Router.MAX_VERSION);
        o.put("MinAPIVersion", Router.MIN_VERSION);
        o.put("GitCommit", "berth");
        o.put("GoVersion", "java" + Runtime.version().feature());
        o.put("Os", "linux");
        o.put("Arch", "amd64");
        o.put("KernelVersion", kernel());
        o.put("BuildTime", "");
        return o;
    }

    private ObjectNode info() {
        ObjectNode o = Json.object();
        List<Container> all = List.copyOf(store.all());
        long running = all.stream().filter(c -> c.state.status.equals("running")).count();
        long paused = all.stream().filter(c -> c.state.paused).count();
        o.put("ID", root.toString());
        o.put("Containers", all.size());
        o.put("ContainersRunning", running);
        o.put("ContainersPaused", paused);
        o.put("ContainersStopped", all.size() - running - paused);
        o.put("Images", images.list().size());
        o.put("Driver", images.snapshots().name());
        o.putArray("DriverStatus");
        o.put("DockerRootDir", root.toString());
        ObjectNode plugins = o.putObject("Plugins");
        plugins.putArray("Volume").add("local");
        plugins.putArray("Network").add("bridge").add("host").add("none");
        plugins.putArray("Log").add("json-file");
        o.put("MemoryLimit", true);
        o.put("SwapLimit", true);
        o.put("CpuCfsPeriod", true);
        o.put("CpuCfsQuota", true);
        o.put("CPUShares", true);
        o.put("CPUSet", true);
        o.put("PidsLimit", true);
        o.put("IPv4Forwarding", true);
        o.put("Debug", false);
        o.put("NFd", 0);
        o.put("NGoroutines", Thread.activeCount());
        o.put("SystemTime", Json.time(Instant.now()));
        o.put("LoggingDriver", "json-file");
        o.put("CgroupDriver", "cgroupfs");
        o.put("CgroupVersion", Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")) ? "2" : "1");
        o.put("KernelVersion", kernel());
        o.put("OperatingSystem", "berth on Linux");
        o.put("OSVersion", "");
        o.put("OSType", "linux");
        o.put("Architecture", "x86_64");
        o.put("NCPU", Runtime.getRuntime().availableProcessors());
        o.put("MemTotal", memTotal());
        o.put("IndexServerAddress", "https://index.docker.io/v1/");
        ObjectNode reg = o.putObject("RegistryConfig");
        reg.putArray("InsecureRegistryCIDRs").add("127.0.0.0/8");
        reg.putObject("IndexConfigs");
        reg.putArray("Mirrors");
        o.put("Name", hostname());
        o.putArray("Labels");
        o.put("ExperimentalBuild", false);
        o.put("ServerVersion", DOCKER_COMPATIBLE_VERSION);
        ObjectNode runtimes = o.putObject("Runtimes");
        runtimes.putObject("berth").put("path", "berth-runtime");
        o.put("DefaultRuntime", "berth");
        o.putObject("Swarm").put("LocalNodeState", "inactive");
        o.put("LiveRestoreEnabled", true);
        o.put("Isolation", "");
        o.put("InitBinary", "docker-init");
        o.putArray("SecurityOptions").add("name=seccomp,profile=builtin");
        o.putArray("Warnings");
        return o;
    }

    static long memTotal() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) return Long.parseLong(l.replaceAll("\\D", "")) * 1024;
            }
        } catch (IOException | NumberFormatException e) {
            // reported as 0
        }
        return 0;
    }

    private static String hostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** Past events since {@code since}, then live ones until {@code until} or the client leaves. */
    private void events(Exchange ex) throws Exception {
        long now = System.currentTimeMillis() * 1_000_000L;
        long since = ex.query("since") == null ? Long.MAX_VALUE : ContainerRoutes.nanos(ex.query("since"));
        long until = ex.query("until") == null ? Long.MAX_VALUE : ContainerRoutes.nanos(ex.query("until"));
        JsonNode filters = Filters.parse(ex.query("filters"));
        BlockingQueue<ObjectNode> live = events.subscribe();
        try {
            OutputStream out = ex.stream(200, "application/json");
            if (since != Long.MAX_VALUE) {
                for (ObjectNode e : events.history(since, Math.min(until, now))) write(out, e, filters);
            }
            out.flush();
            while (!ex.clientGone()) {
                if (until != Long.MAX_VALUE && System.currentTimeMillis() * 1_000_000L >= until) break;
                ObjectNode e = live.poll(200, TimeUnit.MILLISECONDS);
                if (e == null) continue;
                if (e.get("timeNano").asLong() >= until) break;
                write(out, e, filters);
            }
            out.close();
        } finally {
            events.unsubscribe(live);
        }
    }

    private static void write(OutputStream out, ObjectNode e, JsonNode filters) throws IOException {
        List<String> types = Filters.values(filters, "type");
        if (!types.isEmpty() && !types.contains(e.get("Type").asText())) return;
        List<String> ids = Filters.values(filters, "container");
        if (!ids.isEmpty() && ids.stream().noneMatch(i -> e.path("Actor").path("ID").asText().startsWith(i)
                || i.equals(e.path("Actor").path("Attributes").path("name").asText()))) return;
        List<String> actions = Filters.values(filters, "event");
        if (!actions.isEmpty() && !actions.contains(e.get("Action").asText())) return;
        out.write(Json.MAPPER.writeValueAsBytes(e));
        out.write('\n');
        out.flush();
    }
}
