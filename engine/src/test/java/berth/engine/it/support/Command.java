package berth.engine.it.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a host tool (docker, docker-compose) for an integration test; a missing tool fails the test. */
public final class Command {
    /** What a command printed and how it exited. */
    public record Result(List<String> command, int exit, String out, String err) {
        /** This result, after failing the test unless the command exited 0. */
        public Result ok() {
            if (exit != 0) fail(String.join(" ", command) + " exited " + exit + ": " + err.strip() + (out.isBlank() ? "" : " (stdout: " + out.strip() + ")"));
            return this;
        }
    }

    private Command() {
    }

    /** Runs {@code command} with {@code env} added to this JVM's environment, no standard input, at most {@code timeout}. */
    public static Result run(List<String> command, Map<String, String> env, Duration timeout) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return fail(command.getFirst() + " is needed for this test and cannot be run: " + e.getMessage());
        }
        p.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread outReader = Thread.ofVirtual().start(() -> copy(p.getInputStream(), out));
        Thread errReader = Thread.ofVirtual().start(() -> copy(p.getErrorStream(), err));
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor();
            outReader.join();
            errReader.join();
            return fail(String.join(" ", command) + " did not finish within " + timeout.toSeconds() + " s: " + err.toString(StandardCharsets.UTF_8).strip());
        }
        outReader.join();
        errReader.join();
        return new Result(command, p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void copy(InputStream in, OutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException e) {
            // the process is gone; what it wrote so far is kept
        }
    }
}
