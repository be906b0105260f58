package berth.cli.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the built {@code bin/berth} against a {@link DaemonUnderTest}, with its own client config directory. */
final class Berth {
    static final Path PROJECT = locate();
    static final Path BINARY = PROJECT.resolve("bin/berth");

    private final String host;
    private final Path config;

    Berth(DaemonUnderTest daemon, Path config) {
        this.host = daemon.host();
        this.config = config;
    }

    private static Path locate() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("bin/berth")) && Files.isDirectory(p.resolve("cli"))) return p;
        }
        throw new IllegalStateException("bin/berth not found above " + Path.of("").toAbsolutePath());
    }

    record Result(int status, String out, String err) {
        Result ok() {
            if (status != 0) throw new AssertionError("berth exited " + status + "\nstdout: " + out + "\nstderr: " + err);
            return this;
        }
    }

    List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "-H", host, "--config", config.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    Result run(String... args) throws IOException, InterruptedException {
        return run(null, args);
    }

    /** Runs berth with {@code stdin} (a file, or null for none). */
    Result run(Path stdin, String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command(args));
        pb.redirectInput(stdin != null ? ProcessBuilder.Redirect.from(stdin.toFile()) : ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Path out = Files.createTempFile("berth-out", ".txt");
        Path err = Files.createTempFile("berth-err", ".txt");
        try {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("berth " + String.join(" ", args) + " did not finish in 300 s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
