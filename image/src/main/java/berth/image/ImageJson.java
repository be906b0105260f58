package berth.image;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * JSON for image documents. Manifests and configs are kept as the exact bytes they arrived as (their
 * digest is over those bytes); this mapper reads them into records and writes the documents berth makes.
 */
public final class ImageJson {
    private ImageJson() {}

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false)
            .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false)
            .configure(JsonParser.Feature.AUTO_CLOSE_SOURCE, false)
            .registerModule(new SimpleModule("berth-image")
                    .addSerializer(Digest.class, ToStringSerializer.instance)
                    .addDeserializer(Digest.class, new FromStringDeserializer<>(Digest.class) {
                        @Override
                        protected Digest _deserialize(String value, com.fasterxml.jackson.databind.DeserializationContext ctxt) {
                            return Digest.parse(value);
                        }
                    }));

    public static <T> T read(byte[] json, Class<T> type, String what) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new ImageException("invalid " + what + ": " + oneLine(e));
        }
    }

    public static <T> T read(byte[] json, TypeReference<T> type, String what) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new ImageException("invalid " + what + ": " + oneLine(e));
        }
    }

    /** A document already read as a tree, as a record. */
    public static <T> T read(JsonNode tree, Class<T> type, String what) {
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (IOException e) {
            throw new ImageException("invalid " + what + ": " + oneLine(e));
        }
    }

    public static JsonNode tree(byte[] json, String what) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new ImageException("invalid " + what + ": " + oneLine(e));
        }
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Indented like the docker CLI prints JSON (four spaces, {@code "key": value}). */
    public static String pretty(Object value) {
        try {
            com.fasterxml.jackson.core.util.DefaultIndenter indent =
                    new com.fasterxml.jackson.core.util.DefaultIndenter("    ", "\n");
            com.fasterxml.jackson.core.util.DefaultPrettyPrinter printer = new com.fasterxml.jackson.core.util.DefaultPrettyPrinter()
                    .withSeparators(com.fasterxml.jackson.core.util.Separators.createDefaultInstance()
                            .withObjectFieldValueSpacing(com.fasterxml.jackson.core.util.Separators.Spacing.AFTER));
            printer.indentObjectsWith(indent);
            printer.indentArraysWith(indent);
            return MAPPER.writer(printer).writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Jackson's message without its source-location suffix. */
    static String oneLine(IOException e) {
        String m = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    /** The mediaType field of a manifest or index, or null. */
    public static String mediaTypeOf(byte[] json) {
        JsonNode n = tree(json, "manifest");
        JsonNode mt = n.get("mediaType");
        if (mt != null && mt.isTextual()) return mt.asText();
        if (n.has("manifests")) return MediaTypes.OCI_INDEX;
        if (n.has("layers")) return MediaTypes.OCI_MANIFEST;
        return null;
    }
}
