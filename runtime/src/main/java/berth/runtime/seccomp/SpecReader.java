package berth.runtime.seccomp;

import berth.runtime.json.Fields;
import berth.runtime.json.InvalidSpecException;
import berth.runtime.seccomp.SeccompSpec.ArgCondition;
import berth.runtime.seccomp.SeccompSpec.SyscallRule;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the JSON object model into {@link SeccompSpec} records through {@link Fields}, the reader every
 * berth parser shares; this class adds only what is particular to seccomp (required members, the errno
 * range, the members it knows). The static helpers serve {@link DockerSeccompProfile}.
 */
final class SpecReader {
    static final String ROOT = "linux.seccomp";

    private static final Set<String> SECCOMP_FIELDS = Set.of("defaultAction", "defaultErrnoRet",
            "architectures", "flags", "listenerPath", "listenerMetadata", "syscalls");
    private static final Set<String> SYSCALL_FIELDS = Set.of("names", "action", "errnoRet", "args");
    private static final Set<String> ARG_FIELDS = Set.of("index", "value", "valueTwo", "op");

    private SpecReader() {}

    static SeccompSpec read(Map<String, Object> json) {
        Fields seccomp = Fields.of(json, ROOT);
        seccomp.rejectUnknown(SECCOMP_FIELDS);
        String listenerPath = seccomp.string("listenerPath");
        if (listenerPath != null && !listenerPath.isEmpty()) {
            throw seccomp.error("listenerPath", "seccomp notify (SCMP_ACT_NOTIFY listener) is not supported");
        }
        seccomp.string("listenerMetadata");
        return new SeccompSpec(required(seccomp, "defaultAction"), errno(seccomp, "defaultErrnoRet"),
                seccomp.stringsOrEmpty("architectures"), seccomp.stringsOrEmpty("flags"),
                seccomp.objects("syscalls", (f, i) -> syscall(f)));
    }

    private static SyscallRule syscall(Fields call) {
        call.rejectUnknown(SYSCALL_FIELDS);
        if (!call.has("names")) throw call.error("names", "is required");
        List<String> names = call.stringsOrEmpty("names");
        return new SyscallRule(names, required(call, "action"), errno(call, "errnoRet"), call.objects("args", (f, i) -> arg(f)));
    }

    private static ArgCondition arg(Fields arg) {
        arg.rejectUnknown(ARG_FIELDS);
        long index = requiredUnsigned(arg, "index");
        if (index > 5) throw arg.error("index", "must be 0..5, got " + Long.toUnsignedString(index));
        long value = requiredUnsigned(arg, "value");
        Long valueTwo = arg.unsigned64("valueTwo");
        return new ArgCondition((int) index, value, valueTwo == null ? 0 : valueTwo, required(arg, "op"));
    }

    private static String required(Fields f, String key) {
        String s = f.string(key);
        if (s == null) throw f.error(key, "is required");
        return s;
    }

    private static long requiredUnsigned(Fields f, String key) {
        Long v = f.unsigned64(key);
        if (v == null) throw f.error(key, "is required");
        return v;
    }

    private static Integer errno(Fields f, String key) {
        Long v = f.unsigned64(key);
        if (v == null) return null;
        if (Long.compareUnsigned(v, SpecValidator.MAX_ERRNO) > 0) {
            throw f.error(key, "must be 0.." + SpecValidator.MAX_ERRNO + ", got " + Long.toUnsignedString(v));
        }
        return (int) (long) v;
    }

    // Single-value readers for DockerSeccompProfile, on the shared reader.

    static Map<String, Object> object(Object raw, String path) {
        return Fields.of(raw, path).raw();
    }

    static List<Object> optionalList(Object raw, String path) {
        return Fields.list(raw, path);
    }

    static List<String> stringList(Object raw, String path) {
        return Fields.strings(raw, path);
    }

    static String optionalString(Object raw, String path) {
        return Fields.string(raw, path);
    }

    static IllegalArgumentException fail(String path, String message) {
        return new InvalidSpecException(path + ": " + message);
    }
}
