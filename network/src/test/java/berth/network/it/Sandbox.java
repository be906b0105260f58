package berth.network.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Network namespaces and busybox containers for the network tests: namespaces made with {@code ip netns
 * add}, containers run by the built {@code bin/berth-runtime} inside them, with /etc/hosts and
 * /etc/resolv.conf bind-mounted from files the network layer wrote. {@link #close()} kills and deletes the
 * containers and removes the namespaces, whatever happened.
 */
final class Sandbox implements AutoCloseable {
    static final Path PROJECT = locate();
    private static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;
    private final Path state;
    private final List<String> namespaces = new ArrayList<>();
    private final List<String> containers = new ArrayList<>();

    Sandbox() throws IOException {
        dir = Files.createTempDirectory("berth-net-it-");
        state = dir.resolve("runtime-state");
    }

    private static Path locate() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("bin/berth-runtime")) && Files.isDirectory(p.resolve("network"))) return p;
        }
        throw new IllegalStateException("bin/berth-runtime not found above " + Path.of("").toAbsolutePath());
    }

    record Result(int status, String out) {}

    static Result run(List<String> cmd, long timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    static Result run(String... cmd) throws IOException, InterruptedException {
        return run(List.of(cmd), 60);
    }

    /** A new network namespace; its path is {@code /run/netns/NAME}. */
    Path namespace() throws Exception {
        String name = "berth-it-" + UUID.randomUUID().toString().substring(0, 8);
        Result r = run("ip", "netns", "add", name);
        if (r.status() != 0) throw new IllegalStateException("ip netns add " + name + ": " + r.out());
        namespaces.add(name);
        return Path.of("/run/netns", name);
    }

    /** A busybox bundle running {@code args} in {@code netns}, with the given files mounted at /etc/hosts and /etc/resolv.conf. */
    Path bundle(String id, Path netns, Path hosts, Path resolv, String... args) throws Exception {
        Path bundle = dir.resolve("bundles").resolve(id);
        List<String> cmd = new ArrayList<>(List.of(PROJECT.resolve("bin/busybox-bundle").toString(), bundle.toString()));
        cmd.addAll(List.of(args));
        Result r = run(cmd, 60);
        if (r.status() != 0) throw new IllegalStateException("busybox-bundle: " + r.out());
        ObjectNode config = (ObjectNode) JSON.readTree(bundle.resolve("config.json").toFile());
        for (var ns : config.withArray("/linux/namespaces")) {
            if (ns.get("type").asText().equals("network")) ((ObjectNode) ns).put("path", netns.toString());
        }
        ArrayNode mounts = config.withArray("/mounts");
        if (hosts != null) mounts.add(bind(hosts, "/etc/hosts"));
        if (resolv != null) mounts.add(bind(resolv, "/etc/resolv.conf"));
        JSON.writeValue(bundle.resolve("config.json").toFile(), config);
        return bundle;
    }

    private static ObjectNode bind(Path source, String destination) {
        ObjectNode m = JSON.createObjectNode();
        m.put("destination", destination).put("type", "bind").put("source", source.toString());
        m.putArray("options").add("rbind").add("ro");
        return m;
    }

    /**
     * Starts a container in the background. Its stdio is a log file, not a pipe to this JVM: a detached
     * container keeps the descriptors it was given, and a pipe would never reach end of file.
     */
    void start(String id, Path bundle) throws Exception {
        containers.add(id);
        Path log = dir.resolve(id + ".log");
        Process p = new ProcessBuilder(runtime("run", "-d", "--bundle", bundle.toString(), id))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("berth-runtime run -d " + id + ": " + Files.readString(log));
        }
    }

    /** Runs a container to its end; its output and exit status. */
    Result runToEnd(String id, Path bundle) throws Exception {
        containers.add(id);
        return run(runtime("run", "--bundle", bundle.toString(), id), 60);
    }

    /** Runs {@code args} inside a running container (berth-runtime exec). */
    Result exec(String id, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("exec", id));
        cmd.addAll(List.of(args));
        return run(runtime(cmd.toArray(String[]::new)), 30);
    }

    private List<String> runtime(String... args) {
        List<String> cmd = new ArrayList<>(List.of(PROJECT.resolve("bin/berth-runtime").toString(), "--root", state.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Override
    public void close() throws Exception {
        for (String id : containers) run(runtime("delete", "--force", id), 30);
        for (String ns : namespaces) run("ip", "netns", "delete", ns);
        run("rm", "-rf", dir.toString());
    }
}
