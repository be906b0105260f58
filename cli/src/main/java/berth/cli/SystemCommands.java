package berth.cli;

import berth.cli.client.ApiClient;
import berth.cli.client.DaemonException;
import berth.cli.client.DaemonUnreachableException;
import berth.cli.client.HttpResponse;
import berth.cli.client.Json;
import berth.cli.client.JsonMessages;
import berth.cli.client.Query;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** version, info and events. */
final class SystemCommands {
    private SystemCommands() {}

    static final List<Main.Command> ALL = new ArrayList<>();
    private static final DateTimeFormatter EVENT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX");

    static {
        CliFlags fmt = new CliFlags().value("format", 'f', "format the output using the given Go template");
        ALL.add(Main.Command.of("version", "[OPTIONS]", "Show the berth version information", fmt, SystemCommands::version));
        ALL.add(Main.Command.of("info", "[OPTIONS]", "Display system-wide information", fmt, SystemCommands::info));
        ALL.add(Main.Command.of("system info", "[OPTIONS]", "Display system-wide information", fmt, SystemCommands::info));
        CliFlags events = new CliFlags().value("since", '\0', "show all events created since timestamp")
                .value("until", '\0', "stream events until this timestamp").value("filter", 'f', "filter output based on conditions provided")
                .value("format", '\0', "format the output using the given Go template");
        ALL.add(Main.Command.of("events", "[OPTIONS]", "Get real time events from the server", events, SystemCommands::events));
        ALL.add(Main.Command.of("system events", "[OPTIONS]", "Get real time events from the server", events, SystemCommands::events));
    }

    static int version(Main m, CliFlags.Parsed p) throws IOException {
        if (p.get("format") != null) {
            JsonNode server = m.api().get("/version", null);
            var data = Json.object();
            data.putObject("Client").put("Version", Main.VERSION).put("ApiVersion", m.api().version())
                    .put("Os", "linux").put("Arch", System.getProperty("os.arch"));
            data.set("Server", server);
            m.out.println(Template.parse(p.get("format")).execute(data));
            return 0;
        }
        m.out.println("Client:");
        m.out.println(" Version:           " + Main.VERSION);
        m.out.println(" API version:       " + ApiClient.MAX_VERSION);
        m.out.println(" Java version:      " + System.getProperty("java.version"));
        m.out.println(" OS/Arch:           linux/" + arch());
        JsonNode server;
        try {
            server = m.api().get("/version", null);
        } catch (DaemonUnreachableException | DaemonException e) {
            m.out.println();
            throw e;
        }
        m.out.println();
        m.out.println("Server:");
        m.out.println(" Engine:");
        m.out.println("  Version:          " + server.path("Version").asText());
        m.out.println("  API version:      " + server.path("ApiVersion").asText() + " (minimum version " + server.path("MinAPIVersion").asText() + ")");
        m.out.println("  OS/Arch:          " + server.path("Os").asText() + "/" + server.path("Arch").asText());
        if (server.hasNonNull("KernelVersion")) m.out.println("  Kernel version:   " + server.path("KernelVersion").asText());
        for (JsonNode c : server.path("Components")) {
            if (c.path("Name").asText().equals("Engine")) continue;
            m.out.println(" " + c.path("Name").asText() + ":");
            m.out.println("  Version:          " + c.path("Version").asText());
        }
        return 0;
    }

    private static String arch() {
        String a = System.getProperty("os.arch");
        return a.equals("x86_64") ? "amd64" : a.equals("aarch64") ? "arm64" : a;
    }

    static int info(Main m, CliFlags.Parsed p) throws IOException {
        JsonNode info = m.api().get("/info", null);
        if (p.get("format") != null) {
            m.out.println(Template.parse(p.get("format")).execute(info));
            return 0;
        }
        m.out.println("Server:");
        line(m, " Containers", info.path("Containers"));
        line(m, "  Running", info.path("ContainersRunning"));
        line(m, "  Paused", info.path("ContainersPaused"));
        line(m, "  Stopped", info.path("ContainersStopped"));
        line(m, " Images", info.path("Images"));
        line(m, " Server Version", info.path("ServerVersion"));
        line(m, " Storage Driver", info.path("Driver"));
        line(m, " Logging Driver", info.path("LoggingDriver"));
        line(m, " Cgroup Driver", info.path("CgroupDriver"));
        line(m, " Cgroup Version", info.path("CgroupVersion"));
        line(m, " Kernel Version", info.path("KernelVersion"));
        line(m, " Operating System", info.path("OperatingSystem"));
        line(m, " OSType", info.path("OSType"));
        line(m, " Architecture", info.path("Architecture"));
        line(m, " CPUs", info.path("NCPU"));
        if (info.has("MemTotal")) m.out.println(" Total Memory: " + Units.binarySize(info.path("MemTotal").asLong()));
        line(m, " Name", info.path("Name"));
        line(m, " ID", info.path("ID"));
        line(m, " Docker Root Dir", info.path("DockerRootDir"));
        line(m, " Debug Mode", info.path("Debug"));
        for (JsonNode w : info.path("Warnings")) m.err.println(w.asText());
        return 0;
    }

    private static void line(Main m, String label, JsonNode value) {
        if (!value.isMissingNode() && !value.isNull()) m.out.println(label + ": " + value.asText());
    }

    static int events(Main m, CliFlags.Parsed p) throws IOException {
        Instant now = Instant.now();
        Query q = Query.of().add("since", Timestamps.toApi(p.get("since"), now)).add("until", Timestamps.toApi(p.get("until"), now))
                .filters(p.all("filter"));
        Template template = p.get("format") == null ? null : Template.parse(p.get("format"));
        try (HttpResponse r = m.api().call("GET", "/events", q, null, Map.of())) {
            JsonMessages.each(r.body(), e -> {
                m.out.println(template != null ? template.execute(e) : eventLine(e));
                m.out.flush();
            });
        }
        return 0;
    }

    /** {@code 2024-05-01T10:00:00.000000000+00:00 container start 1234abcd (image=busybox, name=x)}, as docker prints it. */
    static String eventLine(JsonNode e) {
        long nanos = e.path("timeNano").asLong();
        Instant t = nanos != 0 ? Instant.ofEpochSecond(0, nanos) : Instant.ofEpochSecond(e.path("time").asLong());
        StringBuilder b = new StringBuilder(EVENT_TIME.format(t.atZone(ZoneId.systemDefault())));
        b.append(' ').append(e.path("Type").asText()).append(' ').append(e.path("Action").asText());
        JsonNode actor = e.path("Actor");
        b.append(' ').append(actor.path("ID").asText());
        Map<String, String> attrs = new TreeMap<>();
        actor.path("Attributes").fields().forEachRemaining(a -> attrs.put(a.getKey(), a.getValue().asText()));
        if (!attrs.isEmpty()) {
            List<String> kv = new ArrayList<>();
            attrs.forEach((k, v) -> kv.add(k + "=" + v));
            b.append(" (").append(String.join(", ", kv)).append(')');
        }
        return b.toString();
    }
}
