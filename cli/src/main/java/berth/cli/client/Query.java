package berth.cli.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A URL query string built in order; null values are left out, booleans are sent as {@code 1}/{@code 0}. */
public final class Query {
    private final List<String[]> params = new ArrayList<>();

    public static Query of() {
        return new Query();
    }

    public Query add(String name, Object value) {
        if (value == null) return this;
        String v = value instanceof Boolean b ? (b ? "1" : "0") : value.toString();
        params.add(new String[] {name, v});
        return this;
    }

    /** Adds the parameter only when true (as the docker client sends {@code all=1} but no {@code all=0}). */
    public Query flag(String name, boolean on) {
        return on ? add(name, "1") : this;
    }

    /**
     * Adds {@code filters} as the API wants it: a JSON object of name to list of values, from
     * {@code key=value} strings as the CLI's {@code --filter} takes them.
     */
    public Query filters(List<String> keyValues) {
        if (keyValues.isEmpty()) return this;
        ObjectNode f = Json.object();
        for (String kv : keyValues) {
            int eq = kv.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("bad format of filter (expected name=value): " + kv);
            ArrayNode values = f.withArrayProperty(kv.substring(0, eq).strip());
            values.add(kv.substring(eq + 1));
        }
        return add("filters", Json.write(f));
    }

    @Override
    public String toString() {
        if (params.isEmpty()) return "";
        StringBuilder sb = new StringBuilder("?");
        for (String[] p : params) {
            if (sb.length() > 1) sb.append('&');
            sb.append(encode(p[0])).append('=').append(encode(p[1]));
        }
        return sb.toString();
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
