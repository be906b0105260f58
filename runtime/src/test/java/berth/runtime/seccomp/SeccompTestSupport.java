package berth.runtime.seccomp;

import berth.runtime.seccomp.BpfInterpreter.SeccompData;
import java.util.Map;

/** Shared constants and helpers for the seccomp tests. */
final class SeccompTestSupport {
    static final int AUDIT_ARCH_X86_64 = 0xC000_003E;
    static final int AUDIT_ARCH_I386 = 0x4000_0003;
    static final int AUDIT_ARCH_AARCH64 = 0xC000_00B7;
    static final int X32_BIT = 0x4000_0000;

    static final int RET_KILL_THREAD = 0x0000_0000;
    static final int RET_KILL_PROCESS = 0x8000_0000;
    static final int RET_TRAP = 0x0003_0000;
    static final int RET_TRACE = 0x7ff0_0000;
    static final int RET_LOG = 0x7ffc_0000;
    static final int RET_ALLOW = 0x7fff_0000;
    static final int EPERM = errno(1);
    static final int ENOSYS = errno(38);

    private SeccompTestSupport() {}

    static int errno(int errno) {
        return 0x0005_0000 | errno;
    }

    /** Parses JSON written with single quotes for readability. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> json(String singleQuoted) {
        return berth.runtime.Json.parse(singleQuoted.replace('\'', '"').getBytes(java.nio.charset.StandardCharsets.UTF_8), "test JSON");
    }

    static SeccompProgram compile(String singleQuotedJson) {
        return new SeccompCompiler().compile(SeccompSpec.fromJson(json(singleQuotedJson)));
    }

    /** Runs the program for a syscall on the given audit arch. */
    static int run(SeccompProgram program, int arch, int nr, long... args) {
        return BpfInterpreter.run(program.filter(), new SeccompData(nr, arch, 0x7f00_1234_5678L, args));
    }

    /** Runs a syscall by name on the ABI's audit arch, using the bundled table for its number. */
    static int call(SeccompProgram program, Abi abi, String name, long... args) {
        return run(program, abi.auditArch(), nr(abi, name), args);
    }

    static int nr(Abi abi, String name) {
        Integer nr = SyscallTable.load(abi).lookup(name);
        if (nr == null) {
            throw new AssertionError(name + " is not a syscall on " + abi);
        }
        return nr;
    }

    static String hex(int word) {
        return String.format("0x%08x", word);
    }
}
