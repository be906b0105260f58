package berth.engine.api;

import berth.engine.Container;
import berth.engine.ContainerIo;
import berth.engine.ContainerSetup;
import berth.engine.ContainerStore;
import berth.engine.Containers;
import berth.engine.EngineException;
import berth.engine.Json;
import berth.engine.http.Exchange;
import berth.engine.http.Hijacked;
import berth.engine.http.Router;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/** {@code /containers/...}: the container lifecycle, logs and attach through Docker's API. */
final class ContainerRoutes {
    static final String RAW = "application/vnd.docker.raw-stream";
    static final String MULTIPLEXED = "application/vnd.docker.multiplexed-stream";
    private final ContainerStore store;
    private final Containers containers;
    private final ContainerSetup setup;
    private final ContainerIo io;
    private final ContainerViews views;
    private final Function<Container, List<String>> execIds;

    ContainerRoutes(ContainerStore store, Containers containers, ContainerSetup setup, ContainerIo io, ContainerViews views,
                    Function<Container, List<String>> execIds) {
        this.store = store;
        this.containers = containers;
        this.setup = setup;
        this.io = io;
        this.views = views;
        this.execIds = execIds;
    }

    void register(Router r) {
        r.on("POST", "/containers/create", this::create);
        r.on("GET", "/containers/json", this::list);
        r.on("POST", "/containers/prune", this::prune);
        r.on("GET", "/containers/{id}/json", ex -> ex.json(200, views.inspect(get(ex), execIds.apply(get(ex)))));
        r.on("POST", "/containers/{id}/start", this::start);
        r.on("POST", "/containers/{id}/stop", this::stop);
        r.on("POST", "/containers/{id}/restart", ex -> {
            containers.restart(get(ex), ex.queryInt("t", -1));
            ex.status(204);
        });
        r.on("POST", "/containers/{id}/kill", ex -> {
            containers.kill(get(ex), ex.query("signal"));
            ex.status(204);
        });
        r.on("POST", "/containers/{id}/wait", this::waitFor);
        r.on("DELETE", "/containers/{id}", ex -> {
            containers.remove(get(ex), ex.queryBool("force", false), ex.queryBool("v", false));
            ex.status(204);
        });
        r.on("POST", "/containers/{id}/rename", ex -> {
            Container c = get(ex);
            String name = berth.engine.Names.checkName(required(ex.query("name"), "name"));
            synchronized (c) {
                store.rename(c, name);
            }
            ex.status(204);
        });
        r.on("POST", "/containers/{id}/pause", ex -> {
            containers.pause(get(ex));
            ex.status(204);
        });
        r.on("POST", "/containers/{id}/unpause", ex -> {
            containers.unpause(get(ex));
            ex.status(204);
        });
        r.on("POST", "/containers/{id}/resize", ex -> {
            io.resize(get(ex), ex.queryInt("h", 0), ex.queryInt("w", 0));
            ex.status(200);
        });
        r.on("POST", "/containers/{id}/attach", this::attach);
        r.on("GET", "/containers/{id}/logs", this::logs);
    }

    private Container get(Exchange ex) {
        return store.get(ex.param("id"));
    }

    static String required(String s, String what) {
        if (s == null || s.isEmpty()) throw new EngineException.Invalid(what + " is required");
        return s;
    }

    private void create(Exchange ex) {
        String name = ex.query("name");
        Container c = setup.create(ex.jsonBody(), name == null || name.isEmpty() ? null : name);
        ObjectNode o = Json.object();
        o.put("Id", c.id);
        o.putArray("Warnings");
        ex.json(201, o);
    }

    private void start(Exchange ex) {
        try {
            containers.start(get(ex));
            ex.status(204);
        } catch (EngineException.NotModified e) {
            ex.status(304);
        }
    }

    /** Docker answers 304 for a container that is not running: docker stop prints its name and succeeds. */
    private void stop(Exchange ex) {
        try {
            containers.stop(get(ex), ex.queryInt("t", -1), ex.query("signal"));
            ex.status(204);
        } catch (EngineException.NotModified e) {
            ex.status(304);
        }
    }

    private void waitFor(Exchange ex) throws Exception {
        Container c = get(ex);
        // a copy per request: a client that leaves cancels its own wait, never the container's exit
        CompletableFuture<Integer> f = containers.waitFor(c, ex.query("condition")).thenApply(code -> code);
        OutputStream out = ex.stream(200, "application/json");
        out.flush();
        ex.onClientGone(() -> f.cancel(false));
        int code;
        try {
            code = f.get();
        } catch (java.util.concurrent.CancellationException | ExecutionException e) {
            return;
        }
        ObjectNode o = Json.object();
        o.putNull("Error");
        o.put("StatusCode", code);
        out.write(Json.MAPPER.writeValueAsBytes(o));
        out.write('\n');
        out.close();
    }

    private void list(Exchange ex) {
        boolean all = ex.queryBool("all", false);
        int limit = ex.queryInt("limit", -1);
        JsonNode filters = Filters.parse(ex.query("filters"));
        if (limit > 0) all = true;
        List<Container> list = new ArrayList<>(store.all());
        list.sort(Comparator.comparing((Container c) -> c.created).reversed());
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Container c : list) {
            if (!all && !c.state.running() && Filters.values(filters, "status").isEmpty()) continue;
            if (!ContainerFilters.matches(c, filters, store)) continue;
            out.add(views.summary(c));
            if (limit > 0 && out.size() >= limit) break;
        }
        ex.json(200, out);
    }

    private void prune(Exchange ex) {
        ObjectNode o = Json.object();
        ArrayNode deleted = o.putArray("ContainersDeleted");
        long reclaimed = 0;
        JsonNode filters = Filters.parse(ex.query("filters"));
        for (Container c : store.all()) {
            if (c.state.running() || !ContainerFilters.matches(c, filters, store)) continue;
            try {
                containers.remove(c, false, false);
                deleted.add(c.id);
            } catch (EngineException e) {
                // started meanwhile
            }
        }
        o.put("SpaceReclaimed", reclaimed);
        ex.json(200, o);
    }

    private void attach(Exchange ex) throws Exception {
        Container c = get(ex);
        boolean stdin = ex.queryBool("stdin", false), stdout = ex.queryBool("stdout", false),
                stderr = ex.queryBool("stderr", false), logs = ex.queryBool("logs", false),
                stream = ex.queryBool("stream", false);
        boolean multiplex = !c.tty();
        try (Hijacked h = ex.hijack(multiplex && ex.versionAtLeast("1.42") ? MULTIPLEXED : RAW)) {
            io.attach(c, new ContainerIo.AttachOptions(stdin, stdout, stderr, logs, stream, multiplex), h.in(), h.out());
            h.closeOutput();
        }
    }

    private void logs(Exchange ex) throws Exception {
        Container c = get(ex);
        boolean stdout = ex.queryBool("stdout", false), stderr = ex.queryBool("stderr", false);
        if (!stdout && !stderr) throw new EngineException.Invalid("Bad parameters: you must choose at least one stream");
        String since = ex.query("since"), until = ex.query("until"), tail = ex.query("tail");
        var opts = new ContainerIo.LogOptions(stdout, stderr, ex.queryBool("follow", false), ex.queryBool("timestamps", false),
                since == null || since.isEmpty() || since.equals("0") ? 0 : nanos(since),
                until == null || until.isEmpty() || until.equals("0") ? 0 : nanos(until),
                tail == null || tail.isEmpty() || tail.equals("all") ? -1 : parseTail(tail));
        OutputStream out = ex.stream(200, c.tty() ? RAW : ex.versionAtLeast("1.42") ? MULTIPLEXED : RAW);
        out.flush();
        io.logs(c, opts, out, !c.tty(), ex::clientGone);
        out.close();
    }

    /** An API {@code since}/{@code until} (Unix seconds with an optional fraction, as clients send it) in nanoseconds. */
    static long nanos(String unixTimestamp) {
        java.time.Instant t = berth.engine.logs.DockerTimestamps.parseUnixTimestamp(unixTimestamp);
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    private static int parseTail(String tail) {
        try {
            return Integer.parseInt(tail);
        } catch (NumberFormatException e) {
            return -1; // Docker reads junk as "all"
        }
    }
}
