package berth.runtime.seccomp;

import berth.runtime.seccomp.SeccompSpec.ArgCondition;
import berth.runtime.seccomp.SeccompSpec.SyscallRule;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns the JSON object model into {@link SeccompSpec} records, checking JSON types and number ranges. */
final class SpecReader {
    static final String ROOT = "linux.seccomp";

    private static final Set<String> SECCOMP_FIELDS = Set.of("defaultAction", "defaultErrnoRet",
            "architectures", "flags", "listenerPath", "listenerMetadata", "syscalls");
    private static final Set<String> SYSCALL_FIELDS = Set.of("names", "action", "errnoRet", "args");
    private static final Set<String> ARG_FIELDS = Set.of("index", "value", "valueTwo", "op");
    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

    private SpecReader() {}

    static SeccompSpec read(Map<String, Object> json) {
        Map<String, Object> seccomp = object(json, ROOT);
        checkFields(seccomp, SECCOMP_FIELDS, ROOT);
        String listenerPath = optionalString(seccomp.get("listenerPath"), ROOT + ".listenerPath");
        if (listenerPath != null && !listenerPath.isEmpty()) {
            throw fail(ROOT + ".listenerPath", "seccomp notify (SCMP_ACT_NOTIFY listener) is not supported");
        }
        optionalString(seccomp.get("listenerMetadata"), ROOT + ".listenerMetadata");
        String defaultAction = optionalString(seccomp.get("defaultAction"), ROOT + ".defaultAction");
        if (defaultAction == null) {
            throw fail(ROOT + ".defaultAction", "is required");
        }
        Integer defaultErrnoRet = optionalErrno(seccomp.get("defaultErrnoRet"), ROOT + ".defaultErrnoRet");
        List<String> architectures = stringList(seccomp.get("architectures"), ROOT + ".architectures");
        List<String> flags = stringList(seccomp.get("flags"), ROOT + ".flags");
        List<SyscallRule> syscalls = new ArrayList<>();
        List<Object> rawSyscalls = optionalList(seccomp.get("syscalls"), ROOT + ".syscalls");
        for (int i = 0; i < rawSyscalls.size(); i++) {
            syscalls.add(syscall(rawSyscalls.get(i), ROOT + ".syscalls[" + i + "]"));
        }
        return new SeccompSpec(defaultAction, defaultErrnoRet, architectures, flags, syscalls);
    }

    private static SyscallRule syscall(Object raw, String path) {
        Map<String, Object> map = object(raw, path);
        checkFields(map, SYSCALL_FIELDS, path);
        if (map.get("names") == null) {
            throw fail(path + ".names", "is required");
        }
        List<String> names = stringList(map.get("names"), path + ".names");
        String action = optionalString(map.get("action"), path + ".action");
        if (action == null) {
            throw fail(path + ".action", "is required");
        }
        Integer errnoRet = optionalErrno(map.get("errnoRet"), path + ".errnoRet");
        List<ArgCondition> args = new ArrayList<>();
        List<Object> rawArgs = optionalList(map.get("args"), path + ".args");
        for (int j = 0; j < rawArgs.size(); j++) {
            args.add(arg(rawArgs.get(j), path + ".args[" + j + "]"));
        }
        return new SyscallRule(names, action, errnoRet, args);
    }

    private static ArgCondition arg(Object raw, String path) {
        Map<String, Object> map = object(raw, path);
        checkFields(map, ARG_FIELDS, path);
        long index = required(map, "index", path);
        if (index > 5) {
            throw fail(path + ".index", "must be 0..5, got " + Long.toUnsignedString(index));
        }
        long value = required(map, "value", path);
        Object rawTwo = map.get("valueTwo");
        long valueTwo = rawTwo == null ? 0 : unsigned64(rawTwo, path + ".valueTwo");
        String op = optionalString(map.get("op"), path + ".op");
        if (op == null) {
            throw fail(path + ".op", "is required");
        }
        return new ArgCondition((int) index, value, valueTwo, op);
    }

    private static long required(Map<String, Object> map, String field, String path) {
        Object raw = map.get(field);
        if (raw == null) {
            throw fail(path + "." + field, "is required");
        }
        return unsigned64(raw, path + "." + field);
    }

    private static Integer optionalErrno(Object raw, String path) {
        if (raw == null) {
            return null;
        }
        long value = unsigned64(raw, path);
        if (Long.compareUnsigned(value, SpecValidator.MAX_ERRNO) > 0) {
            throw fail(path, "must be 0.." + SpecValidator.MAX_ERRNO + ", got " + Long.toUnsignedString(value));
        }
        return (int) value;
    }

    /** An unsigned 64-bit JSON integer, returned as its two's-complement {@code long}. */
    static long unsigned64(Object raw, String path) {
        BigInteger value = switch (raw) {
            case Integer i -> BigInteger.valueOf(i);
            case Long l -> BigInteger.valueOf(l);
            case Short s -> BigInteger.valueOf(s);
            case Byte b -> BigInteger.valueOf(b);
            case BigInteger b -> b;
            case BigDecimal d -> integral(d, path);
            case Double d when Double.isFinite(d) -> integral(new BigDecimal(d), path);
            case Float f when Float.isFinite(f) -> integral(new BigDecimal(f), path);
            default -> throw fail(path, "must be an unsigned integer, got " + describe(raw));
        };
        if (value.signum() < 0 || value.compareTo(TWO_TO_64) >= 0) {
            throw fail(path, "must be an unsigned 64-bit integer, got " + value);
        }
        return value.longValue();
    }

    private static BigInteger integral(BigDecimal value, String path) {
        try {
            return value.toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw fail(path, "must be an unsigned integer, got " + value.toPlainString());
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object raw, String path) {
        if (raw instanceof Map<?, ?> map) {
            for (Object key : map.keySet()) {
                if (!(key instanceof String)) {
                    throw fail(path, "object keys must be strings");
                }
            }
            return (Map<String, Object>) map;
        }
        throw fail(path, "must be an object, got " + describe(raw));
    }

    @SuppressWarnings("unchecked")
    static List<Object> optionalList(Object raw, String path) {
        if (raw == null) {
            return List.of();
        }
        if (raw instanceof List<?> list) {
            return (List<Object>) list;
        }
        throw fail(path, "must be an array, got " + describe(raw));
    }

    static List<String> stringList(Object raw, String path) {
        List<Object> list = optionalList(raw, path);
        List<String> strings = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String s)) {
                throw fail(path + "[" + i + "]", "must be a string, got " + describe(list.get(i)));
            }
            strings.add(s);
        }
        return strings;
    }

    static String optionalString(Object raw, String path) {
        if (raw == null || raw instanceof String) {
            return (String) raw;
        }
        throw fail(path, "must be a string, got " + describe(raw));
    }

    static void checkFields(Map<String, Object> map, Set<String> known, String path) {
        for (String key : map.keySet()) {
            if (!known.contains(key)) {
                throw fail(path, "unknown field \"" + key + "\"");
            }
        }
    }

    static String describe(Object raw) {
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

    static IllegalArgumentException fail(String path, String message) {
        return new IllegalArgumentException(path + ": " + message);
    }
}
