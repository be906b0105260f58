package berth.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Renders the daemon's progress messages (pull, push, load, import) like the docker CLI's jsonmessage: on a
 * terminal, one line per layer redrawn in place with a progress bar; otherwise, one plain line each time a
 * layer's status changes. {@code stream} text (load's "Loaded image: ...") is printed as it comes.
 */
final class ProgressPrinter {
    private final PrintStream out;
    private final boolean terminal;
    private final List<String> ids = new ArrayList<>();
    private final List<String> lastStatus = new ArrayList<>();

    ProgressPrinter(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** One message of the daemon's JSON stream. */
    void message(JsonNode m) {
        if (m.hasNonNull("stream")) {
            out.print(m.get("stream").asText());
            out.flush();
            return;
        }
        String status = m.path("status").asText("");
        if (status.isEmpty() && !m.has("progressDetail")) return;
        String id = m.path("id").asText("");
        JsonNode detail = m.path("progressDetail");
        long current = detail.has("current") ? detail.get("current").asLong() : -1;
        long total = detail.path("total").asLong(0);
        if (id.isEmpty()) line(status);
        else layer(id, status, current, total);
    }

    synchronized void layer(String id, String status, long current, long total) {
        int i = ids.indexOf(id);
        if (i < 0) {
            ids.add(id);
            lastStatus.add(null);
            i = ids.size() - 1;
            if (terminal) out.println();
        }
        if (!terminal) {
            if (!Objects.equals(lastStatus.get(i), status)) out.println(id + ": " + status);
            lastStatus.set(i, status);
            return;
        }
        int up = ids.size() - i;
        out.print("\033[" + up + "A\r\033[2K" + id + ": " + status + bar(current, total) + "\033[" + up + "B\r");
        out.flush();
    }

    static String bar(long current, long total) {
        if (current < 0) return "";
        if (total <= 0) return "  " + Units.size(current);
        int width = 50;
        int filled = (int) Math.min(width, current * width / total);
        StringBuilder b = new StringBuilder("  [");
        for (int k = 0; k < width; k++) b.append(k < filled ? '=' : k == filled ? '>' : ' ');
        return b.append("]  ").append(Units.size(current)).append('/').append(Units.size(total)).toString();
    }

    synchronized void line(String text) {
        out.println(text);
        out.flush();
    }
}
