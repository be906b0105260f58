package berth.network;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs host tools as child processes, with the sbin directories on PATH. */
final class ProcessCommands implements Commands {
    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final long TIMEOUT_SECONDS = 60;

    @Override
    public Result run(List<String> argv, String stdin) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        String path = pb.environment().get("PATH");
        pb.environment().put("PATH", path == null || path.isBlank() ? PATH : path + ":" + PATH);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Result(127, "", argv.getFirst() + ": " + e.getMessage());
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errReader = Thread.ofVirtual().start(() -> {
            try (InputStream in = p.getErrorStream()) {
                in.transferTo(err);
            } catch (IOException ignored) {
                // the command went away
            }
        });
        try {
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // it exited without reading; its status says why
            }
            byte[] out;
            try (InputStream o = p.getInputStream()) {
                out = o.readAllBytes();
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, new String(out, StandardCharsets.UTF_8), "timed out after " + TIMEOUT_SECONDS + "s");
            }
            errReader.join(5000);
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            p.destroyForcibly();
            return new Result(-1, "", "read output: " + e.getMessage());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(-1, "", "interrupted");
        }
    }
}
