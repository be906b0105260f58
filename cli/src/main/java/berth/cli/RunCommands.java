package berth.cli;

import berth.cli.client.ApiClient;
import berth.cli.client.DaemonException;
import berth.cli.client.HttpResponse;
import berth.cli.client.Json;
import berth.cli.client.Query;
import berth.cli.client.UnixHttpTransport;
import berth.image.Reference;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code run}, {@code create}, {@code start} and {@code attach}, in the docker CLI's order: create (pulling
 * the image if the daemon has none), attach, wait for the next exit (or the removal, with {@code --rm}),
 * start, resize the TTY, stream, and exit with the container's status.
 */
final class RunCommands {
    private RunCommands() {}

    static final List<Main.Command> ALL = new ArrayList<>();

    static {
        CliFlags run = ContainerOptions.flags(true);
        ALL.add(Main.Command.of("run", "[OPTIONS] IMAGE [COMMAND] [ARG...]", "Create and run a new container from an image", run, RunCommands::run));
        ALL.add(Main.Command.of("container run", "[OPTIONS] IMAGE [COMMAND] [ARG...]", "Create and run a new container from an image", run, RunCommands::run));
        CliFlags create = ContainerOptions.flags(false);
        ALL.add(Main.Command.of("create", "[OPTIONS] IMAGE [COMMAND] [ARG...]", "Create a new container", create, RunCommands::create));
        ALL.add(Main.Command.of("container create", "[OPTIONS] IMAGE [COMMAND] [ARG...]", "Create a new container", create, RunCommands::create));
        CliFlags start = new CliFlags().bool("attach", 'a', "attach STDOUT/STDERR and forward signals")
                .bool("interactive", 'i', "attach container's STDIN");
        ALL.add(Main.Command.of("start", "[OPTIONS] CONTAINER [CONTAINER...]", "Start one or more stopped containers", start, RunCommands::start));
        ALL.add(Main.Command.of("container start", "[OPTIONS] CONTAINER [CONTAINER...]", "Start one or more stopped containers", start, RunCommands::start));
        CliFlags attach = new CliFlags().bool("no-stdin", '\0', "do not attach STDIN")
                .bool("sig-proxy", '\0', "proxy all received signals to the process (default true)");
        ALL.add(Main.Command.of("attach", "[OPTIONS] CONTAINER", "Attach local standard input, output, and error streams to a running container", attach, RunCommands::attach));
        ALL.add(Main.Command.of("container attach", "[OPTIONS] CONTAINER", "Attach local standard input, output, and error streams to a running container", attach, RunCommands::attach));
    }

    static int create(Main m, CliFlags.Parsed p) throws IOException {
        ContainerOptions.Spec s = ContainerOptions.parse(p, false);
        m.out.println(createContainer(m, s));
        return 0;
    }

    static int run(Main m, CliFlags.Parsed p) throws IOException {
        ContainerOptions.Spec s = ContainerOptions.parse(p, true);
        if (!s.detach() && s.tty() && s.attachStdin() && !Terminal.stdinIsTerminal()) {
            throw new ExitStatus(1, "berth: the input device is not a TTY");
        }
        ApiClient api = m.api();
        String id = createContainer(m, s);
        if (s.detach()) {
            startOrExit(api, id, s.autoRemove());
            m.out.println(id);
            return 0;
        }
        boolean attached = s.attachStdin() || s.attachStdout() || s.attachStderr();
        UnixHttpTransport.Upgraded stream = attached ? attach(api, id, s.attachStdin(), s.attachStdout(), s.attachStderr()) : null;
        HttpResponse wait = waitFor(api, id, s.autoRemove() ? "removed" : "next-exit");
        boolean raw = s.tty() && s.attachStdin();
        try (Terminal _ = raw ? Terminal.raw() : null) {
            try {
                startOrExit(api, id, s.autoRemove());
            } catch (ExitStatus e) {
                if (stream != null) stream.connection().close();
                throw e;
            }
            if (s.tty() && m.terminal()) Terminal.watchSize((h, w) -> resize(api, "/containers/" + id, h, w));
            if (!s.tty() && !"false".equals(p.get("sig-proxy"))) SignalProxy.forward(api, id);
            if (stream != null && new AttachSession(m, s.tty(), s.attachStdin()).run(stream)) {
                wait.close();
                return 0;
            }
        }
        return exitCode(m, wait);
    }

    static int start(Main m, CliFlags.Parsed p) throws IOException {
        if (p.args().isEmpty()) throw new UsageException("\"start\" requires at least 1 argument");
        ApiClient api = m.api();
        if (!p.is("attach") && !p.is("interactive")) {
            int status = 0;
            for (String c : p.args()) {
                try {
                    api.post("/containers/" + c + "/start", null, null);
                    m.out.println(c);
                } catch (DaemonException e) {
                    m.err.println(Main.message(e));
                    status = 1;
                }
            }
            if (status != 0) throw new ExitStatus(status, "Error: failed to start containers: " + String.join(", ", p.args()));
            return 0;
        }
        if (p.args().size() > 1) throw new UsageException("you cannot start and attach multiple containers at once");
        String c = p.args().getFirst();
        JsonNode config = api.get("/containers/" + c + "/json", null).path("Config");
        boolean tty = config.path("Tty").asBoolean();
        boolean stdin = p.is("interactive") && config.path("OpenStdin").asBoolean();
        if (tty && stdin && !Terminal.stdinIsTerminal()) throw new ExitStatus(1, "berth: the input device is not a TTY");
        UnixHttpTransport.Upgraded stream = attach(api, c, stdin, true, true);
        HttpResponse wait = waitFor(api, c, "next-exit");
        try (Terminal _ = tty && stdin ? Terminal.raw() : null) {
            api.post("/containers/" + c + "/start", null, null);
            if (tty && m.terminal()) Terminal.watchSize((h, w) -> resize(api, "/containers/" + c, h, w));
            if (!tty) SignalProxy.forward(api, c);
            if (new AttachSession(m, tty, stdin).run(stream)) {
                wait.close();
                return 0;
            }
        }
        return exitCode(m, wait);
    }

    static int attach(Main m, CliFlags.Parsed p) throws IOException {
        String c = p.arg(0, "exactly 1 argument");
        ApiClient api = m.api();
        JsonNode info = api.get("/containers/" + c + "/json", null);
        if (!info.path("State").path("Running").asBoolean()) throw new ExitStatus(1, "Error: You cannot attach to a stopped container, start it first");
        if (info.path("State").path("Paused").asBoolean()) throw new ExitStatus(1, "Error: You cannot attach to a paused container, unpause it first");
        boolean tty = info.path("Config").path("Tty").asBoolean();
        boolean stdin = !p.is("no-stdin") && info.path("Config").path("OpenStdin").asBoolean();
        if (tty && stdin && !Terminal.stdinIsTerminal()) throw new ExitStatus(1, "berth: the input device is not a TTY");
        UnixHttpTransport.Upgraded stream = attach(api, c, stdin, true, true);
        try (Terminal _ = tty && stdin ? Terminal.raw() : null) {
            if (tty && m.terminal()) Terminal.watchSize((h, w) -> resize(api, "/containers/" + c, h, w));
            if (!tty && !"false".equals(p.get("sig-proxy"))) SignalProxy.forward(api, c);
            if (new AttachSession(m, tty, stdin).run(stream)) return 0;
        }
        return exitCode(m, waitFor(api, c, "not-running"));
    }

    /** Creates the container; a missing image is pulled first (progress on stderr), as {@code --pull} says. */
    static String createContainer(Main m, ContainerOptions.Spec s) throws IOException {
        ApiClient api = m.api();
        Query q = Query.of().add("name", s.name()).add("platform", s.platform());
        if (s.pull().equals("always")) RegistryCommands.pullImage(m, s.image(), s.platform(), m.err, false);
        JsonNode created;
        try {
            created = api.post("/containers/create", q, s.body());
        } catch (DaemonException e) {
            if (!e.notFound() || !e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("image") || !s.pull().equals("missing")) {
                throw new ExitStatus(125, "berth: " + Main.message(e), e);
            }
            m.err.println("Unable to find image '" + familiar(s.image()) + "' locally");
            try {
                RegistryCommands.pullImage(m, s.image(), s.platform(), m.err, false);
                created = api.post("/containers/create", q, s.body());
            } catch (DaemonException again) {
                throw new ExitStatus(125, "berth: " + Main.message(again), again);
            }
        }
        for (JsonNode w : created.path("Warnings")) m.err.println("WARNING: " + w.asText());
        return created.path("Id").asText();
    }

    private static String familiar(String image) {
        try {
            return Reference.parse(image).familiar();
        } catch (IllegalArgumentException e) {
            return image;
        }
    }

    private static void startOrExit(ApiClient api, String id, boolean autoRemove) throws IOException {
        try {
            api.post("/containers/" + id + "/start", null, null);
        } catch (DaemonException e) {
            String msg = e.getMessage();
            int status = msg.contains("executable file not found") || msg.contains("no such file or directory") ? 127
                    : msg.contains("permission denied") || msg.contains("is a directory") ? 126 : 125;
            if (autoRemove) {
                try {
                    api.delete("/containers/" + id, Query.of().flag("force", true));
                } catch (DaemonException gone) {
                    // the daemon removed it already (--rm)
                }
            }
            throw new ExitStatus(status, "berth: " + Main.message(e), e);
        }
    }

    static UnixHttpTransport.Upgraded attach(ApiClient api, String id, boolean stdin, boolean stdout, boolean stderr) throws IOException {
        Query q = Query.of().add("stream", true).add("stdin", stdin).add("stdout", stdout).add("stderr", stderr);
        return api.upgrade("POST", "/containers/" + id + "/attach", q, null);
    }

    /** Registers a wait with the daemon now; the status arrives in the body when the condition is met. */
    private static HttpResponse waitFor(ApiClient api, String id, String condition) throws IOException {
        Query q = api.atLeast("1.30") ? Query.of().add("condition", condition) : Query.of();
        return api.call("POST", "/containers/" + id + "/wait", q, null, Map.of());
    }

    private static int exitCode(Main m, HttpResponse wait) throws IOException {
        JsonNode result = Json.parse(wait.bodyBytes());
        String error = result.path("Error").path("Message").asText("");
        if (!error.isEmpty()) m.err.println("Error: " + error);
        return result.path("StatusCode").asInt(125);
    }

    static void resize(ApiClient api, String path, int rows, int cols) {
        try {
            api.post(path + "/resize", Query.of().add("h", rows).add("w", cols), null);
        } catch (IOException | RuntimeException e) {
            // a resize that fails (the process already gone) changes nothing worth reporting
        }
    }
}
