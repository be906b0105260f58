package berth.cli.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * A stream of JSON values one after another (pull, push, load and import progress; events; stats), handed
 * to a consumer as each arrives. A message with {@code error}/{@code errorDetail} ends the stream with a
 * {@link DaemonException} carrying its text, as the docker CLI's jsonmessage does.
 */
public final class JsonMessages {
    private JsonMessages() {}

    public static void each(InputStream in, Consumer<JsonNode> consumer) throws IOException {
        Json.each(in, m -> {
            String error = errorOf(m);
            if (error != null) throw new DaemonException(500, error);
            consumer.accept(m);
        });
    }

    static String errorOf(JsonNode m) {
        JsonNode detail = m.path("errorDetail").path("message");
        if (detail.isTextual() && !detail.asText().isEmpty()) return detail.asText();
        JsonNode error = m.path("error");
        return error.isTextual() && !error.asText().isEmpty() ? error.asText() : null;
    }
}
