package berth.engine.archive;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What {@code HEAD} and {@code GET /containers/{id}/archive} say about a path, Docker's
 * {@code ContainerPathStat}: its base name, its size and mtime from lstat, its mode as a Go FileMode, and for
 * a symbolic link the path in the container that the link finally leads to.
 *
 * @param mode       Go's {@code os.FileMode} bits, e.g. 2147484141 ({@code ModeDir | 0755}) for a directory
 * @param linkTarget for a symbolic link, the absolute path in the container it resolves to (as far as it
 *                   exists); empty otherwise
 */
public record PathStat(String name, long size, long mode, Instant mtime, String linkTarget) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    public boolean isDirectory() {
        return (mode & GoFileMode.DIR) != 0;
    }

    public boolean isSymbolicLink() {
        return (mode & GoFileMode.SYMLINK) != 0;
    }

    /** The JSON Docker sends: {@code {"name":..,"size":..,"mode":..,"mtime":"RFC 3339",..,"linkTarget":..}}. */
    public String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", name);
        o.put("size", size);
        o.put("mode", mode);
        o.put("mtime", rfc3339Nano(mtime));
        o.put("linkTarget", linkTarget);
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("PathStat as JSON", e);
        }
    }

    /** The value of the {@code X-Docker-Container-Path-Stat} header: the JSON in standard base64. */
    public String headerValue() {
        return Base64.getEncoder().encodeToString(toJson().getBytes(StandardCharsets.UTF_8));
    }

    /** Go's {@code time.RFC3339Nano} in UTC: fractional seconds without trailing zeros, none if whole. */
    static String rfc3339Nano(Instant t) {
        StringBuilder s = new StringBuilder(SECONDS.format(t));
        if (t.getNano() != 0) {
            String fraction = String.format("%09d", t.getNano()).replaceAll("0+$", "");
            s.append('.').append(fraction);
        }
        return s.append('Z').toString();
    }
}
