package berth.runtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import berth.runtime.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OCI bundle around a busybox rootfs: {@code rootfs/bin/busybox} plus one symlink per applet, a minimal
 * {@code /etc}, and a config.json produced by the runtime's own {@code spec} verb, then edited as plain JSON
 * maps (terminal off, writable root). {@link #save()} writes the config; the container helpers call it.
 */
public final class Bundle {
    private static volatile List<String> applets;

    private final Path dir;
    private final Path rootfs;
    private final Map<String, Object> config;

    private Bundle(Path dir, Map<String, Object> config) {
        this.dir = dir;
        this.rootfs = dir.resolve("rootfs");
        this.config = config;
    }

    /** Builds the rootfs in {@code dir} and runs {@code <runtime> spec --bundle dir}. */
    static Bundle create(OciRuntime rt, Path dir) throws IOException {
        Path rootfs = dir.resolve("rootfs");
        for (String d : List.of("bin", "etc", "proc", "sys", "dev", "root", "mnt", "var", "tmp")) {
            Files.createDirectories(rootfs.resolve(d));
        }
        Files.setPosixFilePermissions(rootfs.resolve("tmp"), PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.copy(ItEnv.BUSYBOX, rootfs.resolve("bin/busybox"), StandardCopyOption.COPY_ATTRIBUTES);
        for (String applet : applets()) {
            // "busybox" is itself in the list: linking it would replace the binary with a self-symlink.
            if (applet.equals("busybox") || applet.contains("/")) continue;
            Path link = rootfs.resolve("bin").resolve(applet);
            if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) Files.createSymbolicLink(link, Path.of("busybox"));
        }
        Files.writeString(rootfs.resolve("etc/passwd"), """
                root:x:0:0:root:/root:/bin/sh
                user:x:1000:1000:user:/tmp:/bin/sh
                nobody:x:65534:65534:nobody:/:/bin/false
                """);
        Files.writeString(rootfs.resolve("etc/group"), """
                root:x:0:
                tty:x:5:
                user:x:1000:
                nogroup:x:65534:
                """);
        Files.writeString(rootfs.resolve("etc/hostname"), "bundle\n");
        Result r = rt.exec("spec", "--bundle", dir.toString());
        assertEquals(0, r.exitCode(), () -> rt + " spec failed:\n" + r);
        Map<String, Object> config = Json.read(dir.resolve("config.json"));
        Bundle b = new Bundle(dir, config);
        b.process().put("terminal", false);
        b.root().put("readonly", false);
        return b;
    }

    private static List<String> applets() throws IOException {
        List<String> list = applets;
        if (list == null) {
            Process p = new ProcessBuilder(ItEnv.BUSYBOX.toString(), "--list").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                assertEquals(0, p.waitFor(), () -> "busybox --list failed: " + out);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            list = out.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
            applets = list;
        }
        return list;
    }

    public Path dir() {
        return dir;
    }

    public Path rootfs() {
        return rootfs;
    }

    public Map<String, Object> config() {
        return config;
    }

    public Map<String, Object> process() {
        return map(config, "process");
    }

    public Map<String, Object> root() {
        return map(config, "root");
    }

    public Map<String, Object> linux() {
        return map(config, "linux");
    }

    public Map<String, Object> hooks() {
        return map(config, "hooks");
    }

    /** Sets process.args. */
    public Bundle args(String... args) {
        process().put("args", new ArrayList<>(List.of(args)));
        return this;
    }

    /** Sets process.args to {@code sh -c script}. */
    public Bundle sh(String script) {
        return args("sh", "-c", script);
    }

    public Bundle hostname(String name) {
        config.put("hostname", name);
        return this;
    }

    public Bundle readonlyRoot(boolean ro) {
        root().put("readonly", ro);
        return this;
    }

    /** Appends a mount. */
    public Bundle mount(String destination, String type, String source, String... options) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("destination", destination);
        m.put("type", type);
        m.put("source", source);
        if (options.length > 0) m.put("options", new ArrayList<>(List.of(options)));
        list(config, "mounts").add(m);
        return this;
    }

    /** Appends a read-write bind mount of a host directory. */
    public Bundle bind(Path hostDir, String destination) {
        return mount(destination, "bind", hostDir.toString(), "rbind", "rw");
    }

    /** Replaces all four capability sets (bounding, effective, permitted, ambient). */
    public Bundle capabilities(List<String> caps) {
        Map<String, Object> c = map(process(), "capabilities");
        for (String set : List.of("bounding", "effective", "permitted", "ambient")) c.put(set, new ArrayList<>(caps));
        c.remove("inheritable");
        return this;
    }

    @SuppressWarnings("unchecked")
    public List<String> capabilities() {
        return new ArrayList<>((List<String>) map(process(), "capabilities").get("bounding"));
    }

    /** Adds a namespace (e.g. "user") to linux.namespaces. */
    public Bundle namespace(String type) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("type", type);
        list(linux(), "namespaces").add(n);
        return this;
    }

    /** Appends a hook {@code {path, args, [timeout]}} to hooks.{phase}. */
    public Bundle hook(String phase, String path, List<String> args, Integer timeoutSeconds) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("path", path);
        h.put("args", new ArrayList<>(args));
        h.put("env", new ArrayList<>(List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin")));
        if (timeoutSeconds != null) h.put("timeout", timeoutSeconds);
        list(hooks(), phase).add(h);
        return this;
    }

    /** Writes config.json. */
    public Bundle save() {
        try {
            Files.writeString(dir.resolve("config.json"), Json.write(config, true), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.computeIfAbsent(key, k -> new LinkedHashMap<String, Object>());
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Map<String, Object> parent, String key) {
        return (List<Object>) parent.computeIfAbsent(key, k -> new ArrayList<Object>());
    }
}
