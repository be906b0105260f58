package berth.runtime.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Typed access to one JSON object as a JSON library produced it (maps, lists, strings, numbers, booleans),
 * with errors that name the full field path, e.g. {@code process.user.uid: must be an integer, got string}.
 * Absent and null members read as null (or empty lists and maps).
 */
public final class Fields {
    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);
    private final Map<String, Object> map;
    private final String path;

    public Fields(Map<String, Object> map, String path) {
        this.map = map == null ? Map.of() : map;
        this.path = path;
    }

    /** Reads {@code raw}, which must be an object, at {@code path}. */
    @SuppressWarnings("unchecked")
    public static Fields of(Object raw, String path) {
        if (raw instanceof Map<?, ?> m) {
            for (Object key : m.keySet()) if (!(key instanceof String)) throw new InvalidSpecException(path + ": object keys must be strings");
            return new Fields((Map<String, Object>) m, path);
        }
        throw new InvalidSpecException(path + ": must be an object, got " + describe(raw));
    }

    public String path() {
        return path;
    }

    public String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public boolean has(String key) {
        return map.get(key) != null;
    }

    public Map<String, Object> raw() {
        return map;
    }

    public InvalidSpecException error(String key, String problem) {
        return new InvalidSpecException(path(key) + ": " + problem);
    }

    /** Rejects members other than {@code known} (for objects whose every field berth must understand). */
    public void rejectUnknown(Set<String> known) {
        for (String key : map.keySet()) {
            if (!known.contains(key)) throw new InvalidSpecException(path + ": unknown field \"" + key + "\"");
        }
    }

    public String string(String key) {
        return string(map.get(key), path(key));
    }

    /** {@code raw} as a string (null stays null), at {@code where}. */
    public static String string(Object raw, String where) {
        if (raw == null || raw instanceof String) return (String) raw;
        throw new InvalidSpecException(where + ": must be a string, got " + describe(raw));
    }

    public String requiredString(String key) {
        String s = string(key);
        if (s == null || s.isEmpty()) throw error(key, "is required");
        return s;
    }

    public boolean bool(String key) {
        Object v = map.get(key);
        if (v == null) return false;
        if (v instanceof Boolean b) return b;
        throw error(key, "must be true or false, got " + describe(v));
    }

    /** A signed 64-bit integer; unsigned values above Long.MAX_VALUE (RLIM_INFINITY) wrap to negative. */
    public Long number(String key) {
        Object v = map.get(key);
        if (v == null) return null;
        return toLong(v, path(key));
    }

    public long number(String key, long dflt) {
        Long v = number(key);
        return v == null ? dflt : v;
    }

    public Integer integer(String key) {
        Long v = number(key);
        if (v == null) return null;
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw error(key, "is out of range, got " + v);
        return v.intValue();
    }

    /** An unsigned 64-bit integer as its two's-complement long, or null when absent. */
    public Long unsigned64(String key) {
        Object v = map.get(key);
        return v == null ? null : unsigned64(v, path(key));
    }

    static long toLong(Object v, String where) {
        BigInteger b = integral(v, where, "an integer");
        if (b.bitLength() > 64 || (b.signum() < 0 && b.bitLength() > 63)) {
            throw new InvalidSpecException(where + ": is out of range, got " + b);
        }
        return b.longValue();
    }

    static long unsigned64(Object v, String where) {
        BigInteger b = integral(v, where, "an unsigned integer");
        if (b.signum() < 0 || b.compareTo(TWO_TO_64) >= 0) {
            throw new InvalidSpecException(where + ": must be an unsigned 64-bit integer, got " + b);
        }
        return b.longValue();
    }

    private static BigInteger integral(Object v, String where, String what) {
        BigDecimal d = switch (v) {
            case Integer i -> BigDecimal.valueOf(i);
            case Long l -> BigDecimal.valueOf(l);
            case Short s -> BigDecimal.valueOf(s);
            case Byte b -> BigDecimal.valueOf(b);
            case BigInteger b -> new BigDecimal(b);
            case BigDecimal b -> b;
            case Double x when Double.isFinite(x) -> BigDecimal.valueOf(x);
            case Float x when Float.isFinite(x) -> BigDecimal.valueOf(x);
            default -> throw new InvalidSpecException(where + ": must be " + what + ", got " + describe(v));
        };
        try {
            return d.toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw new InvalidSpecException(where + ": must be " + what + ", got " + d.stripTrailingZeros().toPlainString());
        }
    }

    public Fields object(String key) {
        Object v = map.get(key);
        return v == null ? null : of(v, path(key));
    }

    public Map<String, Object> rawObject(String key) {
        Fields f = object(key);
        return f == null ? null : f.map;
    }

    /** The list at key (empty when absent). */
    public List<Object> list(String key) {
        return list(map.get(key), path(key));
    }

    /** {@code raw} as a list (null reads as empty), at {@code where}. */
    @SuppressWarnings("unchecked")
    public static List<Object> list(Object raw, String where) {
        if (raw == null) return List.of();
        if (raw instanceof List<?> l) return (List<Object>) l;
        throw new InvalidSpecException(where + ": must be an array, got " + describe(raw));
    }

    public List<String> strings(String key) {
        return has(key) ? strings(map.get(key), path(key)) : null;
    }

    /** {@code raw} as a list of strings (null reads as empty), at {@code where}. */
    public static List<String> strings(Object raw, String where) {
        List<Object> l = list(raw, where);
        List<String> out = new ArrayList<>(l.size());
        for (int i = 0; i < l.size(); i++) {
            if (!(l.get(i) instanceof String s)) {
                throw new InvalidSpecException(where + "[" + i + "]: must be a string, got " + describe(l.get(i)));
            }
            out.add(s);
        }
        return List.copyOf(out);
    }

    public List<String> stringsOrEmpty(String key) {
        List<String> l = strings(key);
        return l == null ? List.of() : l;
    }

    public List<Long> numbers(String key) {
        List<Object> l = list(key);
        List<Long> out = new ArrayList<>(l.size());
        for (int i = 0; i < l.size(); i++) out.add(toLong(l.get(i), path(key) + "[" + i + "]"));
        return List.copyOf(out);
    }

    public Map<String, String> stringMap(String key) {
        Fields f = object(key);
        if (f == null) return Map.of();
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : f.map.keySet()) out.put(k, f.string(k));
        return out;
    }

    /** Each element of the list at key, read as an object by {@code read(fields, index)}. */
    public <T> List<T> objects(String key, BiFunction<Fields, Integer, T> read) {
        List<Object> l = list(key);
        List<T> out = new ArrayList<>(l.size());
        for (int i = 0; i < l.size(); i++) out.add(read.apply(of(l.get(i), path(key) + "[" + i + "]"), i));
        return List.copyOf(out);
    }

    /** How a value reads in a message: "string", "number 7", "boolean", "array", "object", "null". */
    public static String describe(Object raw) {
        return switch (raw) {
            case null -> "null";
            case String s -> "string";
            case Number n -> "number " + n;
            case Boolean b -> "boolean";
            case List<?> l -> "array";
            case Map<?, ?> m -> "object";
            default -> raw.getClass().getSimpleName();
        };
    }
}
