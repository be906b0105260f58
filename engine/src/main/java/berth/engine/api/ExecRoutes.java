package berth.engine.api;

import berth.engine.ContainerStore;
import berth.engine.Execs;
import berth.engine.Json;
import berth.engine.http.Exchange;
import berth.engine.http.Hijacked;
import berth.engine.http.Router;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.InputStream;

/** {@code POST /containers/{id}/exec}, {@code /exec/{id}/start|resize|json}. */
final class ExecRoutes {
    private final ContainerStore store;
    private final Execs execs;

    ExecRoutes(ContainerStore store, Execs execs) {
        this.store = store;
        this.execs = execs;
    }

    void register(Router r) {
        r.on("POST", "/containers/{id}/exec", ex -> {
            Execs.Instance i = execs.create(store.get(ex.param("id")), ex.jsonBody());
            ObjectNode o = Json.object();
            o.put("Id", i.id);
            ex.json(201, o);
        });
        r.on("POST", "/exec/{id}/start", this::start);
        r.on("POST", "/exec/{id}/resize", ex -> {
            execs.resize(execs.get(ex.param("id")), ex.queryInt("h", 0), ex.queryInt("w", 0));
            ex.status(201);
        });
        r.on("GET", "/exec/{id}/json", ex -> ex.json(200, inspect(execs.get(ex.param("id")))));
    }

    private void start(Exchange ex) throws Exception {
        Execs.Instance i = execs.get(ex.param("id"));
        JsonNode body = ex.jsonBody();
        boolean detach = body.path("Detach").asBoolean(false);
        if (detach) {
            execs.start(i, true, InputStream.nullInputStream(), null);
            ex.status(200);
            return;
        }
        String type = i.tty() ? ContainerRoutes.RAW
                : ex.versionAtLeast("1.42") ? ContainerRoutes.MULTIPLEXED : ContainerRoutes.RAW;
        try (Hijacked h = ex.hijack(type)) {
            execs.start(i, false, h.in(), h.out());
            h.out().flush();
            h.closeOutput();
        }
    }

    private static ObjectNode inspect(Execs.Instance i) {
        ObjectNode o = Json.object();
        o.put("CanRemove", false);
        o.put("ContainerID", i.container.id);
        o.put("DetachKeys", "");
        if (i.exitCode == null) o.putNull("ExitCode");
        else o.put("ExitCode", i.exitCode);
        o.put("ID", i.id);
        o.put("OpenStderr", i.config.path("AttachStderr").asBoolean(false));
        o.put("OpenStdin", i.config.path("AttachStdin").asBoolean(false));
        o.put("OpenStdout", i.config.path("AttachStdout").asBoolean(false));
        ObjectNode pc = o.putObject("ProcessConfig");
        JsonNode cmd = i.config.path("Cmd");
        pc.put("entrypoint", cmd.path(0).asText(""));
        var args = pc.putArray("arguments");
        for (int k = 1; k < cmd.size(); k++) args.add(cmd.get(k).asText());
        pc.put("privileged", i.config.path("Privileged").asBoolean(false));
        pc.put("tty", i.tty());
        pc.put("user", i.config.path("User").asText(""));
        o.put("Running", i.running);
        o.put("Pid", i.pid);
        return o;
    }
}
