package berth.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The engine's event stream ({@code GET /events}): container, image, volume and network actions in Docker's
 * shape, kept in a bounded history for {@code since} and handed to every subscriber as they happen.
 */
public final class Events {
    private static final int HISTORY = 1024;
    private final Deque<ObjectNode> history = new ArrayDeque<>();
    private final List<BlockingQueue<ObjectNode>> subscribers = new CopyOnWriteArrayList<>();

    /**
     * @param type       container, image, volume or network
     * @param action     create, start, die, destroy, pull, tag, ...
     * @param id         the object's ID (or an image's name for pulls)
     * @param attributes name, image, exitCode, ...
     */
    public void publish(String type, String action, String id, Map<String, String> attributes) {
        Instant now = Instant.now();
        ObjectNode e = Json.object();
        if (type.equals("container") || type.equals("image")) {
            e.put("status", action);
            e.put("id", id);
            if (attributes.containsKey("image")) e.put("from", attributes.get("image"));
        }
        e.put("Type", type);
        e.put("Action", action);
        ObjectNode actor = e.putObject("Actor");
        actor.put("ID", id);
        ObjectNode attrs = actor.putObject("Attributes");
        attributes.forEach(attrs::put);
        e.put("scope", "local");
        e.put("time", now.getEpochSecond());
        e.put("timeNano", now.getEpochSecond() * 1_000_000_000L + now.getNano());
        synchronized (history) {
            history.addLast(e);
            if (history.size() > HISTORY) history.removeFirst();
        }
        for (BlockingQueue<ObjectNode> q : subscribers) q.offer(e);
    }

    /** A live subscription; {@link #unsubscribe} it when the client goes. */
    public BlockingQueue<ObjectNode> subscribe() {
        BlockingQueue<ObjectNode> q = new LinkedBlockingQueue<>(10_000);
        subscribers.add(q);
        return q;
    }

    public void unsubscribe(BlockingQueue<ObjectNode> q) {
        subscribers.remove(q);
    }

    /** Past events with {@code timeNano} in [since, until). */
    public List<ObjectNode> history(long sinceNano, long untilNano) {
        synchronized (history) {
            List<ObjectNode> out = new ArrayList<>();
            for (ObjectNode e : history) {
                long t = e.get("timeNano").asLong();
                if (t >= sinceNano && t < untilNano) out.add(e);
            }
            return out;
        }
    }
}
