package berth.engine;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;

/**
 * Docker's restart policies ({@code no}, {@code always}, {@code unless-stopped}, {@code on-failure[:N]}) and
 * its back-off: 100 ms doubling up to a minute, reset once a container ran for 10 seconds.
 */
public record RestartPolicy(String name, int maxRetries) {
    private static final Duration FIRST = Duration.ofMillis(100), MAX = Duration.ofMinutes(1), RESET = Duration.ofSeconds(10);

    public static RestartPolicy of(JsonNode hostConfig) {
        JsonNode p = hostConfig.path("RestartPolicy");
        String name = p.path("Name").asText("");
        return new RestartPolicy(name.isEmpty() ? "no" : name, p.path("MaximumRetryCount").asInt(0));
    }

    /** Whether a container that exited with {@code exitCode} is started again. */
    public boolean restarts(int exitCode, boolean manuallyStopped, int restartCount) {
        return switch (name) {
            case "always" -> !manuallyStopped;
            case "unless-stopped" -> !manuallyStopped;
            case "on-failure" -> !manuallyStopped && exitCode != 0 && (maxRetries == 0 || restartCount < maxRetries);
            default -> false;
        };
    }

    /** The wait before restart number {@code attempt} (0-based), given how long the last run lasted. */
    public static Duration delay(int attempt, Duration ran) {
        if (ran.compareTo(RESET) >= 0) return FIRST;
        long ms = FIRST.toMillis() << Math.min(attempt, 10);
        return ms > MAX.toMillis() ? MAX : Duration.ofMillis(ms);
    }
}
