package berth.image.registry;

import berth.image.ImageException;
import berth.image.ImageJson;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a registry's error response into one line. The distribution spec's body is
 * {@code {"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":...}]}}; token servers
 * answer {@code {"details":"..."}} or {@code {"error":"..."}}; anything else is described by its status.
 */
final class RegistryErrors {
    private RegistryErrors() {}

    /**
     * The exception for a failed call: NotFound for 404, {@link UnauthorizedException} for 401 and 403 (with
     * a hint to log in to {@code loginHost}, unless null), ImageException otherwise.
     */
    static ImageException of(String what, int status, byte[] body, String loginHost) {
        String reason = describe(status, body);
        return switch (status) {
            case 401, 403 -> new UnauthorizedException(what + ": unauthorized: " + reason
                    + (loginHost == null ? "" : "; run `berth login " + loginHost + "`"));
            case 404 -> new ImageException.NotFound(what + ": " + reason);
            default -> new ImageException(what + ": " + reason);
        };
    }

    /** {@code manifest unknown (MANIFEST_UNKNOWN)}, several errors joined by "; ", or {@code HTTP 502}. */
    static String describe(int status, byte[] body) {
        JsonNode json = parse(body);
        List<String> parts = new ArrayList<>();
        if (json != null && json.path("errors").isArray()) {
            for (JsonNode e : json.get("errors")) {
                String code = e.path("code").asText("");
                String message = e.path("message").asText("");
                if (status == 401 || status == 403) {
                    parts.add(message.isEmpty() ? code.toLowerCase(Locale.ROOT) : message);
                } else if (message.isEmpty()) {
                    parts.add(code);
                } else {
                    parts.add(code.isEmpty() ? message : message + " (" + code + ")");
                }
            }
        } else if (json != null) {
            for (String field : List.of("details", "error_description", "error", "message")) {
                if (json.path(field).isTextual() && !json.get(field).asText().isBlank()) {
                    parts.add(json.get(field).asText());
                    break;
                }
            }
        }
        parts.removeIf(String::isBlank);
        if (!parts.isEmpty()) return oneLine(String.join("; ", parts));
        return switch (status) {
            case 401 -> "authentication required";
            case 403 -> "access denied";
            case 404 -> "not found";
            default -> "HTTP " + status + textOf(body);
        };
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0 || body[0] != '{') return null;
        try {
            return ImageJson.MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    /** ": <first line>" of a short plain-text body (a proxy's error page), or "". */
    private static String textOf(byte[] body) {
        if (body == null || body.length == 0) return "";
        String s = new String(body, StandardCharsets.UTF_8).strip();
        if (s.isEmpty() || s.startsWith("<")) return "";
        return ": " + oneLine(s);
    }

    private static String oneLine(String s) {
        String line = s.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
