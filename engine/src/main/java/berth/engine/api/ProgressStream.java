package berth.engine.api;

import berth.engine.Json;
import berth.image.Progress;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * A pull, push or load reported the way dockerd streams it: one JSON object per line ({@code status},
 * {@code progressDetail}, {@code id}), errors in-band after the 200 as {@code errorDetail}/{@code error}.
 */
final class ProgressStream implements Progress {
    private final OutputStream out;

    ProgressStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void layer(String id, String status, long current, long total) {
        ObjectNode o = Json.object();
        o.put("status", status);
        ObjectNode detail = o.putObject("progressDetail");
        if (current >= 0) {
            detail.put("current", current);
            if (total > 0) detail.put("total", total);
        }
        o.put("id", id);
        write(o);
    }

    @Override
    public void line(String text) {
        ObjectNode o = Json.object();
        o.put("status", text);
        write(o);
    }

    void stream(String text) {
        ObjectNode o = Json.object();
        o.put("stream", text);
        write(o);
    }

    void error(String message) {
        ObjectNode o = Json.object();
        o.putObject("errorDetail").put("message", message);
        o.put("error", message);
        write(o);
    }

    void write(ObjectNode o) {
        try {
            out.write(Json.MAPPER.writeValueAsBytes(o));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the client went away: " + e.getMessage(), e);
        }
    }
}
