package berth.cli;

import berth.cli.client.ApiClient;
import berth.cli.client.Json;
import berth.cli.client.UnixHttpTransport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.List;

/** {@code exec}: create an exec instance, start it hijacked (or detached), stream, exit with its code. */
final class ExecCommand {
    private ExecCommand() {}

    static final List<Main.Command> ALL;

    static {
        CliFlags f = new CliFlags().stopAtFirstArgument()
                .bool("detach", 'd', "detached mode: run command in the background")
                .bool("interactive", 'i', "keep STDIN open even if not attached")
                .bool("tty", 't', "allocate a pseudo-TTY")
                .value("env", 'e', "set environment variables")
                .value("env-file", '\0', "read in a file of environment variables")
                .value("workdir", 'w', "working directory inside the container")
                .value("user", 'u', "username or UID (format: <name|uid>[:<group|gid>])")
                .bool("privileged", '\0', "give extended privileges to the command");
        String usage = "[OPTIONS] CONTAINER COMMAND [ARG...]";
        String help = "Execute a command in a running container";
        ALL = List.of(Main.Command.of("exec", usage, help, f, ExecCommand::exec), Main.Command.of("container exec", usage, help, f, ExecCommand::exec));
    }

    static int exec(Main m, CliFlags.Parsed p) throws IOException {
        if (p.args().size() < 2) throw new UsageException("\"exec\" requires at least 2 arguments");
        String container = p.args().getFirst();
        boolean detach = p.is("detach"), stdin = p.is("interactive") && !detach, tty = p.is("tty");
        if (tty && stdin && !Terminal.stdinIsTerminal()) throw new ExitStatus(1, "berth: the input device is not a TTY");
        ObjectNode config = Json.object();
        config.put("User", p.get("user", "")).put("Privileged", p.is("privileged")).put("Tty", tty)
                .put("AttachStdin", stdin).put("AttachStdout", !detach).put("AttachStderr", !detach).put("Detach", detach);
        ArrayNode env = config.putArray("Env");
        for (String file : p.all("env-file")) for (String e : ContainerOptions.envFile(java.nio.file.Path.of(file))) env.add(e);
        for (String e : p.all("env")) env.add(ContainerOptions.envValue(e));
        if (p.get("workdir") != null) config.put("WorkingDir", p.get("workdir"));
        ArrayNode cmd = config.putArray("Cmd");
        for (String a : p.args().subList(1, p.args().size())) cmd.add(a);

        ApiClient api = m.api();
        String id = api.post("/containers/" + container + "/exec", null, config).path("Id").asText();
        ObjectNode start = Json.object().put("Detach", detach).put("Tty", tty);
        if (detach) {
            api.post("/exec/" + id + "/start", null, start);
            return 0;
        }
        UnixHttpTransport.Upgraded stream = api.upgrade("POST", "/exec/" + id + "/start", null, start);
        try (Terminal _ = tty && stdin ? Terminal.raw() : null) {
            if (tty && m.terminal()) Terminal.watchSize((h, w) -> RunCommands.resize(api, "/exec/" + id, h, w));
            if (new AttachSession(m, tty, stdin).run(stream)) return 0;
        }
        return exitCode(api, id);
    }

    /** The exec's exit code; the daemon may record it a moment after the stream ends. */
    private static int exitCode(ApiClient api, String id) throws IOException {
        for (int i = 0; ; i++) {
            JsonNode info = api.get("/exec/" + id + "/json", null);
            if (!info.path("Running").asBoolean() || i >= 50) return info.path("ExitCode").asInt(126);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return info.path("ExitCode").asInt(126);
            }
        }
    }
}
