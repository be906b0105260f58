package berth.cli;

import berth.cli.client.ApiClient;
import berth.cli.client.HttpResponse;
import berth.cli.client.Query;
import berth.cli.client.StdStreams;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What a container holds and says: logs, top, port, diff, export, commit. */
final class ContainerInfoCommands {
    private ContainerInfoCommands() {}

    static final List<Main.Command> ALL = new ArrayList<>();

    private static void add(String words, String usage, String help, CliFlags flags, Main.Body body) {
        ALL.add(Main.Command.of(words, usage, help, flags, body));
        ALL.add(Main.Command.of("container " + words, usage, help, flags, body));
    }

    static {
        CliFlags logs = new CliFlags().bool("follow", 'f', "follow log output").value("tail", 'n', "number of lines to show from the end of the logs (default \"all\")")
                .value("since", '\0', "show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)")
                .value("until", '\0', "show logs before a timestamp or relative time").bool("timestamps", 't', "show timestamps")
                .bool("details", '\0', "show extra details provided to logs");
        add("logs", "[OPTIONS] CONTAINER", "Fetch the logs of a container", logs, ContainerInfoCommands::logs);
        add("top", "CONTAINER [ps OPTIONS]", "Display the running processes of a container", new CliFlags().stopAtFirstArgument(), ContainerInfoCommands::top);
        add("port", "CONTAINER [PRIVATE_PORT[/PROTO]]", "List port mappings or a specific mapping for the container", new CliFlags(), ContainerInfoCommands::port);
        add("diff", "CONTAINER", "Inspect changes to files or directories on a container's filesystem", new CliFlags(), ContainerInfoCommands::diff);
        add("export", "[OPTIONS] CONTAINER", "Export a container's filesystem as a tar archive",
                new CliFlags().value("output", 'o', "write to a file, instead of STDOUT"), ContainerInfoCommands::export);
        CliFlags commit = new CliFlags().value("author", 'a', "author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")")
                .value("change", 'c', "apply Dockerfile instruction to the created image").value("message", 'm', "commit message")
                .bool("pause", 'p', "pause container during commit (default true)");
        add("commit", "[OPTIONS] CONTAINER [REPOSITORY[:TAG]]", "Create a new image from a container's changes", commit, ContainerInfoCommands::commit);
    }

    static int logs(Main m, CliFlags.Parsed p) throws IOException {
        String c = p.arg(0, "exactly 1 argument");
        ApiClient api = m.api();
        boolean tty = api.get("/containers/" + c + "/json", null).path("Config").path("Tty").asBoolean();
        Instant now = Instant.now();
        Query q = Query.of().add("stdout", true).add("stderr", true)
                .add("since", Timestamps.toApi(p.get("since"), now)).add("until", Timestamps.toApi(p.get("until"), now))
                .flag("timestamps", p.is("timestamps")).flag("follow", p.is("follow"))
                .add("tail", p.get("tail", "all")).flag("details", p.is("details"));
        try (HttpResponse r = api.call("GET", "/containers/" + c + "/logs", q, null, Map.of())) {
            if (tty) StdStreams.copyRaw(r.body(), m.out);
            else StdStreams.demultiplex(r.body(), m.out, m.err);
        }
        return 0;
    }

    static int top(Main m, CliFlags.Parsed p) throws IOException {
        String c = p.arg(0, "at least 1 argument");
        List<String> psArgs = p.args().subList(1, p.args().size());
        JsonNode top = m.api().get("/containers/" + c + "/top", Query.of().add("ps_args", psArgs.isEmpty() ? null : String.join(" ", psArgs)));
        List<String> titles = new ArrayList<>();
        top.path("Titles").forEach(t -> titles.add(t.asText()));
        Table t = new Table(titles.toArray(String[]::new));
        for (JsonNode row : top.path("Processes")) {
            List<String> cells = new ArrayList<>();
            row.forEach(cell -> cells.add(cell.asText()));
            while (cells.size() < titles.size()) cells.add("");
            t.row(cells.subList(0, titles.size()).toArray(String[]::new));
        }
        t.print(m.out);
        return 0;
    }

    static int port(Main m, CliFlags.Parsed p) throws IOException {
        String c = p.arg(0, "at least 1 argument");
        JsonNode ports = m.api().get("/containers/" + c + "/json", null).path("NetworkSettings").path("Ports");
        if (p.args().size() > 1) {
            String wanted = p.args().get(1).contains("/") ? p.args().get(1) : p.args().get(1) + "/tcp";
            JsonNode bindings = ports.path(wanted);
            if (!bindings.isArray() || bindings.isEmpty()) throw new ExitStatus(1, "Error: No public port '" + wanted + "' published for " + c);
            for (JsonNode b : bindings) m.out.println(hostAddress(b));
            return 0;
        }
        List<String> keys = new ArrayList<>();
        ports.fieldNames().forEachRemaining(keys::add);
        keys.sort(null);
        for (String k : keys) for (JsonNode b : ports.path(k)) m.out.println(k + " -> " + hostAddress(b));
        return 0;
    }

    private static String hostAddress(JsonNode binding) {
        String ip = binding.path("HostIp").asText();
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + binding.path("HostPort").asText();
    }

    static int diff(Main m, CliFlags.Parsed p) throws IOException {
        String c = p.arg(0, "exactly 1 argument");
        for (JsonNode change : m.api().get("/containers/" + c + "/changes", null)) {
            String kind = switch (change.path("Kind").asInt()) {
                case 0 -> "C";
                case 1 -> "A";
                case 2 -> "D";
                default -> "?";
            };
            m.out.println(kind + " " + change.path("Path").asText());
        }
        return 0;
    }

    static int export(Main m, CliFlags.Parsed p) throws IOException {
        String c = p.arg(0, "exactly 1 argument");
        try (HttpResponse r = m.api().call("GET", "/containers/" + c + "/export", null, null, Map.of())) {
            writeOut(m, r.body(), p.get("output"));
        }
        return 0;
    }

    /** Writes a tar stream to {@code output} (beside it first, then renamed) or to stdout if that is no terminal. */
    static void writeOut(Main m, InputStream body, String output) throws IOException {
        if (output == null) {
            if (m.terminal()) throw new UsageException("cowardly refusing to write a tar archive to a terminal: use -o or redirect the output");
            body.transferTo(m.out);
            m.out.flush();
            return;
        }
        Path target = Path.of(output).toAbsolutePath();
        Path tmp = Files.createTempFile(target.getParent(), ".berth-", ".tar");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                body.transferTo(out);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static int commit(Main m, CliFlags.Parsed p) throws IOException {
        String c = p.arg(0, "at least 1 argument");
        Query q = Query.of().add("container", c);
        if (p.args().size() > 1) {
            String ref = p.args().get(1);
            int colon = ref.lastIndexOf(':');
            boolean tagged = colon > ref.lastIndexOf('/');
            q.add("repo", tagged ? ref.substring(0, colon) : ref).add("tag", tagged ? ref.substring(colon + 1) : null);
        }
        q.add("comment", p.get("message")).add("author", p.get("author")).add("pause", !"false".equals(p.get("pause")));
        for (String change : p.all("change")) q.add("changes", change);
        m.out.println(m.api().post("/commit", q, null).path("Id").asText());
        return 0;
    }
}
