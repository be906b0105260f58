package berth.image.registry;

import berth.image.ImageException;
import berth.image.ImageJson;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Docker's credential-helper protocol: {@code docker-credential-<name> get|store|erase}, with the server URL
 * (get, erase) or a JSON {@code {"ServerURL","Username","Secret"}} (store) on stdin; {@code get} answers
 * that JSON on stdout, or fails with "credentials not found".
 */
final class CredentialHelper {
    private final List<Path> searchPath;

    /** @param searchPath directories searched for {@code docker-credential-<name>}, like $PATH */
    CredentialHelper(List<Path> searchPath) {
        this.searchPath = List.copyOf(searchPath);
    }

    Optional<Credentials> get(String helper, String serverUrl) {
        Result r = run(helper, "get", serverUrl);
        if (r.exit != 0) {
            if (r.output.toLowerCase(Locale.ROOT).contains("credentials not found")) return Optional.empty();
            throw failed(helper, "get", r);
        }
        JsonNode json = ImageJson.tree(r.output.getBytes(StandardCharsets.UTF_8), "docker-credential-" + helper + " output");
        String user = json.path("Username").asText("");
        String secret = json.path("Secret").asText("");
        if (secret.isEmpty()) return Optional.empty();
        return Optional.of(new Credentials(user, secret));
    }

    void store(String helper, String serverUrl, Credentials c) {
        Map<String, String> json = new LinkedHashMap<>();
        json.put("ServerURL", serverUrl);
        json.put("Username", c.username());
        json.put("Secret", c.password());
        String input = new String(ImageJson.write(json), StandardCharsets.UTF_8);
        Result r = run(helper, "store", input);
        if (r.exit != 0) throw failed(helper, "store", r);
    }

    void erase(String helper, String serverUrl) {
        Result r = run(helper, "erase", serverUrl);
        if (r.exit != 0 && !r.output.toLowerCase(Locale.ROOT).contains("not found")) throw failed(helper, "erase", r);
    }

    private record Result(int exit, String output) {}

    private Result run(String helper, String action, String stdin) {
        String program = "docker-credential-" + helper;
        Path exe = searchPath.stream().map(d -> d.resolve(program)).filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new ImageException("credential helper " + program + " not found in PATH"));
        try {
            Process p = new ProcessBuilder(exe.toString(), action).redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new ImageException(program + " " + action + ": timed out");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new ImageException(program + " " + action + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException(program + " " + action + ": interrupted", e);
        }
    }

    private static ImageException failed(String helper, String action, Result r) {
        String why = r.output.lines().findFirst().orElse("exit status " + r.exit);
        return new ImageException("docker-credential-" + helper + " " + action + ": " + why);
    }
}
