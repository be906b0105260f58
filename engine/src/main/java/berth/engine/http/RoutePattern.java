package berth.engine.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed route pattern such as {@code /containers/{id}/json}: literal segments, {@code {name}} (one segment)
 * and {@code {name*}} (one or more segments, greedy).
 */
final class RoutePattern {
    private sealed interface Segment {
    }

    private record Literal(String text) implements Segment {
    }

    private record Param(String name) implements Segment {
    }

    private record Rest(String name) implements Segment {
    }

    private final String text;
    private final List<Segment> segments;

    private RoutePattern(String text, List<Segment> segments) {
        this.text = text;
        this.segments = segments;
    }

    static RoutePattern parse(String pattern) {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("route pattern " + pattern + " does not start with '/'");
        }
        List<Segment> segments = new ArrayList<>();
        for (String s : pattern.substring(1).split("/", -1)) {
            if (s.startsWith("{") && s.endsWith("}")) {
                String name = s.substring(1, s.length() - 1);
                Segment seg = name.endsWith("*") ? new Rest(name.substring(0, name.length() - 1)) : new Param(name);
                if (name.isEmpty() || name.equals("*")) {
                    throw new IllegalArgumentException("route pattern " + pattern + " has an unnamed parameter");
                }
                segments.add(seg);
            } else if (s.contains("{") || s.contains("}")) {
                throw new IllegalArgumentException("route pattern " + pattern + ": a parameter must be a whole segment");
            } else {
                segments.add(new Literal(s));
            }
        }
        return new RoutePattern(pattern, List.copyOf(segments));
    }

    /** How specific the pattern is: more literal segments first, then fewer greedy ones. */
    int literals() {
        return (int) segments.stream().filter(s -> s instanceof Literal).count();
    }

    int greedy() {
        return (int) segments.stream().filter(s -> s instanceof Rest).count();
    }

    /** The parameters when {@code path} (decoded, starting with '/') matches, else null. */
    Map<String, String> match(String path) {
        if (!path.startsWith("/")) {
            return null;
        }
        String[] parts = path.substring(1).split("/", -1);
        Map<String, String> params = new HashMap<>();
        return match(parts, 0, 0, params) ? params : null;
    }

    private boolean match(String[] parts, int p, int s, Map<String, String> params) {
        if (s == segments.size()) {
            return p == parts.length;
        }
        if (p == parts.length) {
            return false;
        }
        switch (segments.get(s)) {
            case Literal l -> {
                return l.text().equals(parts[p]) && match(parts, p + 1, s + 1, params);
            }
            case Param param -> {
                if (parts[p].isEmpty() || !match(parts, p + 1, s + 1, params)) {
                    return false;
                }
                params.put(param.name(), parts[p]);
                return true;
            }
            case Rest rest -> {
                for (int end = parts.length; end > p; end--) {
                    String value = String.join("/", Arrays.copyOfRange(parts, p, end));
                    if (!value.isEmpty() && match(parts, end, s + 1, params)) {
                        params.put(rest.name(), value);
                        return true;
                    }
                }
                return false;
            }
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
