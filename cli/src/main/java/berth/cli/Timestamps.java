package berth.cli;

import berth.engine.logs.DockerTimestamps;

import java.time.Instant;
import java.time.ZoneId;

/**
 * {@code --since}/{@code --until} values as the docker CLI reads them ({@code timetypes.GetTimestamp}, shared
 * with the engine as {@link DockerTimestamps#toUnixTimestamp}): a Go duration ({@code 10m}, {@code 1h30m})
 * counted back from now, an RFC 3339 time or date, or Unix seconds; sent as Unix seconds.
 */
final class Timestamps {
    private Timestamps() {}

    static String toApi(String value, Instant now) {
        if (value == null) return null;
        try {
            return DockerTimestamps.toUnixTimestamp(value.strip(), now.atZone(ZoneId.systemDefault()));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
