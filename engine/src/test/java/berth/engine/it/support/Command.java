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

/** Runs a host tool (docker, docker-compose, ip) for an integration test; a missing tool fails the test. */
public final class Command {
    /** What a command printed (stdout as bytes: {@code docker cp ... -} writes a tar) and how it exited. */
    public record Result(List<String> command, int exit, byte[] stdout, String err) {
        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        /** This result, after failing the test unless the command exited 0. */
        public Result ok() {
            if (exit != 0) fail(String.join(" ", command) + " exited " + exit + ": " + err.strip() + (out().isBlank() ? "" : " (stdout: " + out().strip() + ")"));
            return this;
        }

        @Override
        public String toString() {
            return "exit " + exit + ", stdout: " + out().strip() + ", stderr: " + err.strip();
        }
    }

    private Command() {
    }

    /** Runs {@code command} with no standard input; see {@link #run(List, Map, byte[], Duration)}. */
    public static Result run(List<String> command, Map<String, String> env, Duration timeout) throws IOException, InterruptedException {
        return run(command, env, null, timeout);
    }

    /**
     * Runs {@code command} with this JVM's environment less any {@code DOCKER_*} variable, plus {@code env};
     * {@code stdin} (null: none) as its standard input; failing the test if it runs longer than {@code timeout}.
     */
    public static Result run(List<String> command, Map<String, String> env, byte[] stdin, Duration timeout) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("DOCKER_"));
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return fail(command.getFirst() + " is needed for this test and cannot be run: " + e.getMessage());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread outReader = Thread.ofVirtual().start(() -> copy(p.getInputStream(), out));
        Thread errReader = Thread.ofVirtual().start(() -> copy(p.getErrorStream(), err));
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) in.write(stdin);
        } catch (IOException e) {
            // the command ended without reading all of its input; its exit status tells the rest
        }
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor();
            outReader.join();
            errReader.join();
            return fail(String.join(" ", command) + " did not finish within " + timeout.toSeconds() + " s: " + err.toString(StandardCharsets.UTF_8).strip());
        }
        outReader.join();
        errReader.join();
        return new Result(command, p.exitValue(), out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    private static void copy(InputStream in, OutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException e) {
            // the process is gone; what it wrote so far is kept
        }
    }
}
