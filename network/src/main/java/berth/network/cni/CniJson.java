package berth.network.cni;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The package's one JSON mapper, configured once and never changed. */
final class CniJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private CniJson() {}

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("serialize JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The tree of {@code json}, or null if it is not JSON. */
    static JsonNode tryParse(byte[] json) {
        try {
            return json.length == 0 ? null : MAPPER.readTree(json);
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code text} made one line and at most {@code max} characters. */
    static String oneLine(String text, int max) {
        String s = text.strip().replaceAll("\\s*\\R\\s*", " | ");
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
