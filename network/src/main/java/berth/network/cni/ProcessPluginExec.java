package berth.network.cni;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs plugins as child processes. The environment is the caller's without its own {@code CNI_*}
 * variables, with a {@code PATH} that reaches {@code iptables} and {@code ip} in the sbin directories
 * (plugins look them up there), plus the variables the runtime sets. A plugin that outlives the timeout is
 * killed.
 */
public final class ProcessPluginExec implements PluginExec {
    private static final String SBIN_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final Duration timeout;

    public ProcessPluginExec() {
        this(Duration.ofMinutes(2));
    }

    public ProcessPluginExec(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public Output exec(Path plugin, Map<String, String> env, byte[] stdin) {
        ProcessBuilder pb = new ProcessBuilder(plugin.toString());
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.startsWith("CNI_"));
        e.put("PATH", withSbin(e.get("PATH")));
        e.putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException ex) {
            throw new UncheckedIOException("exec " + plugin + ": " + ex.getMessage(), ex);
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errReader = Thread.ofVirtual().start(() -> drain(p.getErrorStream(), err));
        try {
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin);
            } catch (IOException ignored) {
                // the plugin exited without reading its configuration; its exit status says why
            }
            byte[] out;
            try (InputStream o = p.getInputStream()) {
                out = o.readAllBytes();
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor();
                errReader.join(1000);
                return new Output(-1, out, "timed out after " + timeout.toSeconds() + "s; " + text(err));
            }
            errReader.join(5000);
            return new Output(p.exitValue(), out, text(err));
        } catch (IOException ex) {
            p.destroyForcibly();
            throw new UncheckedIOException("read output of " + plugin + ": " + ex.getMessage(), ex);
        } catch (InterruptedException ex) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + plugin, ex);
        }
    }

    private static void drain(InputStream in, ByteArrayOutputStream to) {
        try (in) {
            byte[] buf = new byte[4096];
            for (int n; (n = in.read(buf)) > 0; ) {
                synchronized (to) {
                    to.write(buf, 0, n);
                }
            }
        } catch (IOException ignored) {
            // the plugin went away
        }
    }

    private static String text(ByteArrayOutputStream b) {
        synchronized (b) {
            return b.toString(StandardCharsets.UTF_8);
        }
    }

    static String withSbin(String path) {
        if (path == null || path.isBlank()) return SBIN_PATH;
        StringBuilder sb = new StringBuilder(path);
        for (String dir : SBIN_PATH.split(":")) {
            if (!(":" + path + ":").contains(":" + dir + ":")) sb.append(':').append(dir);
        }
        return sb.toString();
    }
}
