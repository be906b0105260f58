package berth.runtime.seccomp;

import static berth.runtime.seccomp.SpecReader.ROOT;
import static berth.runtime.seccomp.SpecReader.fail;

import berth.runtime.seccomp.SeccompSpec.ArgCondition;
import berth.runtime.seccomp.SeccompSpec.SyscallRule;
import java.util.List;

/** Semantic checks on a {@link SeccompSpec}, shared by {@code fromJson} and the compiler. */
final class SpecValidator {
    static final int MAX_ERRNO = 0xffff;

    private SpecValidator() {}

    static void validate(SeccompSpec spec) {
        action(spec.defaultAction(), ROOT + ".defaultAction");
        errnoRet(spec.defaultAction(), spec.defaultErrnoRet(), ROOT + ".defaultErrnoRet");
        List<String> architectures = spec.architectures();
        for (int i = 0; i < architectures.size(); i++) {
            String name = architectures.get(i);
            if (ScmpArch.fromSpecName(name) == null) {
                throw fail(ROOT + ".architectures[" + i + "]", "unknown architecture " + quote(name));
            }
        }
        List<String> flags = spec.flags();
        for (int i = 0; i < flags.size(); i++) {
            if (FilterFlag.fromSpecName(flags.get(i)) == null) {
                throw fail(ROOT + ".flags[" + i + "]", "unknown flag " + quote(flags.get(i)));
            }
        }
        List<SyscallRule> syscalls = spec.syscalls();
        for (int i = 0; i < syscalls.size(); i++) {
            rule(syscalls.get(i), ROOT + ".syscalls[" + i + "]");
        }
    }

    private static void rule(SyscallRule rule, String path) {
        if (rule == null) {
            throw fail(path, "must not be null");
        }
        if (rule.names().isEmpty()) {
            throw fail(path + ".names", "must list at least one syscall");
        }
        for (int j = 0; j < rule.names().size(); j++) {
            String name = rule.names().get(j);
            if (name == null || name.isBlank()) {
                throw fail(path + ".names[" + j + "]", "must be a non-empty syscall name");
            }
        }
        action(rule.action(), path + ".action");
        errnoRet(rule.action(), rule.errnoRet(), path + ".errnoRet");
        for (int j = 0; j < rule.args().size(); j++) {
            arg(rule.args().get(j), path + ".args[" + j + "]");
        }
    }

    private static void arg(ArgCondition arg, String path) {
        if (arg == null) {
            throw fail(path, "must not be null");
        }
        if (arg.index() < 0 || arg.index() > 5) {
            throw fail(path + ".index", "must be 0..5, got " + arg.index());
        }
        if (ScmpOp.fromSpecName(arg.op()) == null) {
            throw fail(path + ".op", "unknown operator " + quote(arg.op()));
        }
    }

    private static void action(String name, String path) {
        ScmpAction action = ScmpAction.fromSpecName(name);
        if (action == null) {
            throw fail(path, "unknown action " + quote(name));
        }
        if (action == ScmpAction.NOTIFY) {
            throw fail(path, "SCMP_ACT_NOTIFY is not supported");
        }
    }

    private static void errnoRet(String actionName, Integer errno, String path) {
        if (errno == null) {
            return;
        }
        if (!ScmpAction.fromSpecName(actionName).takesErrno()) {
            throw fail(path, "is only allowed with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not " + actionName);
        }
        if (errno < 0 || errno > MAX_ERRNO) {
            throw fail(path, "must be 0.." + MAX_ERRNO + ", got " + errno);
        }
    }

    private static String quote(String s) {
        return s == null ? "null" : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
