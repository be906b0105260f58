package berth.runtime.spec;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Typed access to one JSON object produced by the JSON library (maps, lists, strings, numbers, booleans),
 * with errors that name the full field path, e.g. {@code process.user.uid: expected a number}.
 */
final class Fields {
    private final Map<String, Object> map;
    private final String path;

    Fields(Map<String, Object> map, String path) {
        this.map = map == null ? Map.of() : map;
        this.path = path;
    }

    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        return map.get(key) != null;
    }

    InvalidSpecException error(String key, String problem) {
        return new InvalidSpecException(path(key) + ": " + problem);
    }

    String string(String key) {
        Object v = map.get(key);
        if (v == null) return null;
        if (v instanceof String s) return s;
        throw error(key, "expected a string");
    }

    String requiredString(String key) {
        String s = string(key);
        if (s == null || s.isEmpty()) throw error(key, "is required");
        return s;
    }

    boolean bool(String key) {
        Object v = map.get(key);
        if (v == null) return false;
        if (v instanceof Boolean b) return b;
        throw error(key, "expected true or false");
    }

    Long number(String key) {
        Object v = map.get(key);
        if (v == null) return null;
        return toLong(v, path(key));
    }

    long number(String key, long dflt) {
        Long v = number(key);
        return v == null ? dflt : v;
    }

    Integer integer(String key) {
        Long v = number(key);
        if (v == null) return null;
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw error(key, "out of range");
        return v.intValue();
    }

    static long toLong(Object v, String where) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) return ((Number) v).longValue();
        if (v instanceof BigInteger b) {
            if (b.signum() >= 0 && b.bitLength() <= 64) return b.longValue(); // unsigned 64-bit, e.g. RLIM_INFINITY
            throw new InvalidSpecException(where + ": number out of range");
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) return n.longValue();
        throw new InvalidSpecException(where + ": expected an integer");
    }

    @SuppressWarnings("unchecked")
    Fields object(String key) {
        Object v = map.get(key);
        if (v == null) return null;
        if (v instanceof Map<?, ?> m) return new Fields((Map<String, Object>) m, path(key));
        throw error(key, "expected an object");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> rawObject(String key) {
        Object v = map.get(key);
        if (v == null) return null;
        if (v instanceof Map<?, ?> m) return (Map<String, Object>) m;
        throw error(key, "expected an object");
    }

    List<String> strings(String key) {
        Object v = map.get(key);
        if (v == null) return null;
        if (!(v instanceof List<?> l)) throw error(key, "expected a list of strings");
        List<String> out = new ArrayList<>(l.size());
        for (int i = 0; i < l.size(); i++) {
            if (!(l.get(i) instanceof String s)) throw new InvalidSpecException(path(key) + "[" + i + "]: expected a string");
            out.add(s);
        }
        return List.copyOf(out);
    }

    List<String> stringsOrEmpty(String key) {
        List<String> l = strings(key);
        return l == null ? List.of() : l;
    }

    List<Long> numbers(String key) {
        Object v = map.get(key);
        if (v == null) return List.of();
        if (!(v instanceof List<?> l)) throw error(key, "expected a list of numbers");
        List<Long> out = new ArrayList<>(l.size());
        for (int i = 0; i < l.size(); i++) out.add(toLong(l.get(i), path(key) + "[" + i + "]"));
        return List.copyOf(out);
    }

    Map<String, String> stringMap(String key) {
        Map<String, Object> m = rawObject(key);
        if (m == null) return Map.of();
        Map<String, String> out = new LinkedHashMap<>();
        for (var e : m.entrySet()) {
            if (!(e.getValue() instanceof String s)) throw error(key + "." + e.getKey(), "expected a string");
            out.put(e.getKey(), s);
        }
        return out;
    }

    /** Each element of the list at key, read as an object by {@code read(fields, index)}. */
    @SuppressWarnings("unchecked")
    <T> List<T> objects(String key, BiFunction<Fields, Integer, T> read) {
        Object v = map.get(key);
        if (v == null) return List.of();
        if (!(v instanceof List<?> l)) throw error(key, "expected a list");
        List<T> out = new ArrayList<>(l.size());
        for (int i = 0; i < l.size(); i++) {
            String where = path(key) + "[" + i + "]";
            if (!(l.get(i) instanceof Map<?, ?> m)) throw new InvalidSpecException(where + ": expected an object");
            out.add(read.apply(new Fields((Map<String, Object>) m, where), i));
        }
        return List.copyOf(out);
    }
}
