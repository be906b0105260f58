package berth.cli;

import berth.cli.client.ApiClient;
import berth.cli.client.DaemonException;
import berth.cli.client.Query;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Container lifecycle verbs: stop, kill, rm, restart, pause, unpause, rename, wait, update. */
final class ContainerCommands {
    private ContainerCommands() {}

    static final List<Main.Command> ALL = new ArrayList<>();

    private static void add(String words, String usage, String help, CliFlags flags, Main.Body body) {
        ALL.add(Main.Command.of(words, usage, help, flags, body));
        ALL.add(Main.Command.of("container " + words, usage, help, flags, body));
    }

    static {
        String many = "[OPTIONS] CONTAINER [CONTAINER...]";
        CliFlags stop = new CliFlags().value("time", 't', "seconds to wait before killing the container")
                .value("signal", 's', "signal to send to the container");
        add("stop", many, "Stop one or more running containers", stop, ContainerCommands::stop);
        add("restart", many, "Restart one or more containers", stop, ContainerCommands::restart);
        add("kill", many, "Kill one or more running containers", new CliFlags().value("signal", 's', "signal to send to the container"), ContainerCommands::kill);
        CliFlags rm = new CliFlags().bool("force", 'f', "force the removal of a running container (uses SIGKILL)")
                .bool("volumes", 'v', "remove anonymous volumes associated with the container")
                .bool("link", 'l', "remove the specified link");
        add("rm", many, "Remove one or more containers", rm, ContainerCommands::rm);
        add("pause", "CONTAINER [CONTAINER...]", "Pause all processes within one or more containers", new CliFlags(), ContainerCommands::pause);
        add("unpause", "CONTAINER [CONTAINER...]", "Unpause all processes within one or more containers", new CliFlags(), ContainerCommands::unpause);
        add("rename", "CONTAINER NEW_NAME", "Rename a container", new CliFlags(), ContainerCommands::rename);
        add("wait", "CONTAINER [CONTAINER...]", "Block until one or more containers stop, then print their exit codes", new CliFlags(), ContainerCommands::waitFor);
        CliFlags update = new CliFlags()
                .value("cpus", '\0', "number of CPUs").value("cpu-period", '\0', "limit CPU CFS period")
                .value("cpu-quota", '\0', "limit CPU CFS quota").value("cpu-shares", 'c', "CPU shares (relative weight)")
                .value("cpuset-cpus", '\0', "CPUs in which to allow execution").value("memory", 'm', "memory limit")
                .value("memory-swap", '\0', "swap limit equal to memory plus swap: -1 to enable unlimited swap")
                .value("pids-limit", '\0', "tune container pids limit (-1 for unlimited)")
                .value("blkio-weight", '\0', "block IO (relative weight), between 10 and 1000, or 0 to disable")
                .value("restart", '\0', "restart policy to apply when a container exits");
        add("update", many, "Update configuration of one or more containers", update, ContainerCommands::update);
    }

    @FunctionalInterface
    private interface Action {
        void apply(ApiClient api, String container) throws IOException;
    }

    /** Applies an action to each container, printing its name on success; any failure makes the exit status 1. */
    private static int each(Main m, CliFlags.Parsed p, String verb, Action action) throws IOException {
        if (p.args().isEmpty()) throw new UsageException("\"" + verb + "\" requires at least 1 argument");
        ApiClient api = m.api();
        int status = 0;
        for (String c : p.args()) {
            try {
                action.apply(api, c);
                m.out.println(c);
            } catch (DaemonException e) {
                m.err.println(Main.message(e));
                status = 1;
            }
        }
        return status;
    }

    static int stop(Main m, CliFlags.Parsed p) throws IOException {
        Query q = Query.of().add("t", p.get("time")).add("signal", p.get("signal"));
        return each(m, p, "stop", (api, c) -> api.post("/containers/" + c + "/stop", q, null));
    }

    static int restart(Main m, CliFlags.Parsed p) throws IOException {
        Query q = Query.of().add("t", p.get("time")).add("signal", p.get("signal"));
        return each(m, p, "restart", (api, c) -> api.post("/containers/" + c + "/restart", q, null));
    }

    static int kill(Main m, CliFlags.Parsed p) throws IOException {
        Query q = Query.of().add("signal", p.get("signal"));
        return each(m, p, "kill", (api, c) -> api.post("/containers/" + c + "/kill", q, null));
    }

    static int rm(Main m, CliFlags.Parsed p) throws IOException {
        Query q = Query.of().flag("v", p.is("volumes")).flag("link", p.is("link")).flag("force", p.is("force"));
        return each(m, p, "rm", (api, c) -> api.delete("/containers/" + c, q));
    }

    static int pause(Main m, CliFlags.Parsed p) throws IOException {
        return each(m, p, "pause", (api, c) -> api.post("/containers/" + c + "/pause", null, null));
    }

    static int unpause(Main m, CliFlags.Parsed p) throws IOException {
        return each(m, p, "unpause", (api, c) -> api.post("/containers/" + c + "/unpause", null, null));
    }

    static int rename(Main m, CliFlags.Parsed p) throws IOException {
        if (p.args().size() != 2) throw new UsageException("\"rename\" requires exactly 2 arguments");
        if (p.args().get(1).isBlank()) throw new UsageException("the new name cannot be empty");
        m.api().post("/containers/" + p.args().getFirst() + "/rename", Query.of().add("name", p.args().get(1)), null);
        return 0;
    }

    static int waitFor(Main m, CliFlags.Parsed p) throws IOException {
        if (p.args().isEmpty()) throw new UsageException("\"wait\" requires at least 1 argument");
        ApiClient api = m.api();
        int status = 0;
        for (String c : p.args()) {
            try {
                m.out.println(api.post("/containers/" + c + "/wait", null, null).path("StatusCode").asLong());
            } catch (DaemonException e) {
                m.err.println(Main.message(e));
                status = 1;
            }
        }
        return status;
    }

    static int update(Main m, CliFlags.Parsed p) throws IOException {
        var body = ContainerOptions.updateBody(p);
        if (body.isEmpty()) throw new UsageException("you must provide one or more flags when using this command");
        return each(m, p, "update", (api, c) -> {
            JsonNode r = api.post("/containers/" + c + "/update", null, body);
            for (JsonNode w : r.path("Warnings")) m.err.println("WARNING: " + w.asText());
        });
    }
}
