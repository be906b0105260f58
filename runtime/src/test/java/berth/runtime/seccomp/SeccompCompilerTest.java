package berth.runtime.seccomp;

import static berth.runtime.seccomp.SeccompTestSupport.AUDIT_ARCH_AARCH64;
import static berth.runtime.seccomp.SeccompTestSupport.AUDIT_ARCH_I386;
import static berth.runtime.seccomp.SeccompTestSupport.AUDIT_ARCH_X86_64;
import static berth.runtime.seccomp.SeccompTestSupport.ENOSYS;
import static berth.runtime.seccomp.SeccompTestSupport.EPERM;
import static berth.runtime.seccomp.SeccompTestSupport.RET_ALLOW;
import static berth.runtime.seccomp.SeccompTestSupport.RET_KILL_PROCESS;
import static berth.runtime.seccomp.SeccompTestSupport.RET_KILL_THREAD;
import static berth.runtime.seccomp.SeccompTestSupport.RET_LOG;
import static berth.runtime.seccomp.SeccompTestSupport.RET_TRACE;
import static berth.runtime.seccomp.SeccompTestSupport.RET_TRAP;
import static berth.runtime.seccomp.SeccompTestSupport.X32_BIT;
import static berth.runtime.seccomp.SeccompTestSupport.call;
import static berth.runtime.seccomp.SeccompTestSupport.compile;
import static berth.runtime.seccomp.SeccompTestSupport.errno;
import static berth.runtime.seccomp.SeccompTestSupport.hex;
import static berth.runtime.seccomp.SeccompTestSupport.json;
import static berth.runtime.seccomp.SeccompTestSupport.nr;
import static berth.runtime.seccomp.SeccompTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.runtime.seccomp.SeccompSpec.ArgCondition;
import berth.runtime.seccomp.SeccompSpec.SyscallRule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class SeccompCompilerTest {
    private static final String ALL_X86 = "'architectures': ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']";

    @Test
    void anEqualSpecIsCompiledOnceAndAnotherSpecStillGetsItsOwnProgram() {
        SeccompCompiler compiler = new SeccompCompiler();
        String json = "{'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': [{'names': ['read'], 'action': 'SCMP_ACT_ALLOW'}]}";
        SeccompProgram first = compiler.compile(SeccompSpec.fromJson(json(json)));
        assertSame(first, compiler.compile(SeccompSpec.fromJson(json(json))), "a second, equal spec object");
        SeccompProgram other = compiler.compile(SeccompSpec.fromJson(json(json.replace("read", "write"))));
        assertEquals(RET_ALLOW, call(other, Abi.X86_64, "write"));
        assertEquals(EPERM, call(other, Abi.X86_64, "read"));
        assertThrows(IllegalArgumentException.class, () -> compiler.compile(
                SeccompSpec.fromJson(json("{'defaultAction': 'SCMP_ACT_ERRNO', 'architectures': ['SCMP_ARCH_NOPE'], 'syscalls': []}"))));
    }

    @Test
    void allowListReturnsAllowForListedSyscallsAndTheDefaultForOthers() {
        SeccompProgram p = compile("{'defaultAction': 'SCMP_ACT_ERRNO', " + ALL_X86 + ", 'syscalls': ["
                + "{'names': ['read', 'write', 'no_such_syscall'], 'action': 'SCMP_ACT_ALLOW'},"
                + "{'names': ['mkdir'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 30}]}");
        for (Abi abi : Abi.values()) {
            assertEquals(RET_ALLOW, call(p, abi, "read"), abi + " read");
            assertEquals(RET_ALLOW, call(p, abi, "write"), abi + " write");
            assertEquals(errno(30), call(p, abi, "mkdir"), abi + " mkdir");
            assertEquals(EPERM, call(p, abi, "getpid"), abi + " getpid");
            assertEquals(EPERM, call(p, abi, "close"), abi + " close");
        }
        assertEquals(0, p.filterFlags());
    }

    @Test
    void defaultErrnoRetAndRuleErrnoRet() {
        SeccompProgram p = compile("{'defaultAction': 'SCMP_ACT_ERRNO', 'defaultErrnoRet': 13, 'syscalls': ["
                + "{'names': ['read'], 'action': 'SCMP_ACT_ALLOW'}, {'names': ['write'], 'action': 'SCMP_ACT_ERRNO'},"
                + "{'names': ['openat'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 0}]}");
        assertEquals(errno(13), call(p, Abi.X86_64, "getpid"));
        assertEquals(EPERM, call(p, Abi.X86_64, "write"), "rule ERRNO without errnoRet is EPERM, as in runc");
        assertEquals(errno(0), call(p, Abi.X86_64, "openat"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        SCMP_ACT_KILL         |      | 0x00000000
        SCMP_ACT_KILL_THREAD  |      | 0x00000000
        SCMP_ACT_KILL_PROCESS |      | 0x80000000
        SCMP_ACT_TRAP         |      | 0x00030000
        SCMP_ACT_ERRNO        |      | 0x00050001
        SCMP_ACT_ERRNO        | 95   | 0x0005005f
        SCMP_ACT_TRACE        |      | 0x7ff00001
        SCMP_ACT_TRACE        | 1234 | 0x7ff004d2
        SCMP_ACT_LOG          |      | 0x7ffc0000
        SCMP_ACT_ALLOW        |      | 0x7fff0000
        """)
    void actionWords(String action, Integer errnoRet, String expected) {
        int want = Integer.parseUnsignedInt(expected.substring(2), 16);
        String errno = errnoRet == null ? "" : ", 'errnoRet': " + errnoRet;
        String defaultErrno = errnoRet == null ? "" : ", 'defaultErrnoRet': " + errnoRet;
        String other = action.equals("SCMP_ACT_ALLOW") ? "SCMP_ACT_KILL_PROCESS" : "SCMP_ACT_ALLOW";
        SeccompProgram asRule = compile("{'defaultAction': '" + other + "', 'syscalls': "
                + "[{'names': ['getpid'], 'action': '" + action + "'" + errno + "}]}");
        assertEquals(hex(want), hex(call(asRule, Abi.X86_64, "getpid")), "as rule action");
        SeccompProgram asDefault = compile("{'defaultAction': '" + action + "'" + defaultErrno + ", 'syscalls': "
                + "[{'names': ['getppid'], 'action': '" + other + "'}]}");
        assertEquals(hex(want), hex(call(asDefault, Abi.X86_64, "getpid")), "as default action");
    }

    @Test
    void foreignArchitectureGetsKill() {
        SeccompProgram p = compile("{'defaultAction': 'SCMP_ACT_ALLOW', "
                + "'architectures': ['SCMP_ARCH_X86_64', 'SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM'], 'syscalls': []}");
        assertEquals(RET_KILL_THREAD, run(p, AUDIT_ARCH_AARCH64, 63));
        assertEquals(RET_KILL_THREAD, run(p, AUDIT_ARCH_I386, 3), "x86 not listed");
        assertEquals(RET_ALLOW, run(p, AUDIT_ARCH_X86_64, 0));
    }

    @Test
    void nativeArchitectureIsAlwaysFilteredAsLibseccompInitDoes() {
        SeccompProgram p = compile("{'defaultAction': 'SCMP_ACT_ERRNO', 'architectures': ['SCMP_ARCH_X86'], "
                + "'syscalls': [{'names': ['read'], 'action': 'SCMP_ACT_ALLOW'}]}");
        assertEquals(RET_ALLOW, call(p, Abi.X86_64, "read"));
        assertEquals(RET_ALLOW, call(p, Abi.X86, "read"));
        assertEquals(RET_KILL_THREAD, call(p, Abi.X32, "read"));
    }

    @Test
    void x32SyscallsNeedX32InTheList() {
        String rules = "'syscalls': [{'names': ['read', 'ioctl'], 'action': 'SCMP_ACT_ALLOW'}]}";
        SeccompProgram without = compile("{'defaultAction': 'SCMP_ACT_ERRNO', 'architectures': ['SCMP_ARCH_X86_64'], " + rules);
        SeccompProgram with = compile("{'defaultAction': 'SCMP_ACT_ERRNO', " + ALL_X86 + ", " + rules);
        SeccompProgram allowAll = compile("{'defaultAction': 'SCMP_ACT_ALLOW'}");
        int x32Read = X32_BIT;
        int x32Ioctl = X32_BIT + 514;
        for (int nr : new int[] {x32Read, x32Ioctl, X32_BIT + 16, X32_BIT + 1000, -1}) {
            assertEquals(RET_KILL_THREAD, run(without, AUDIT_ARCH_X86_64, nr), hex(nr));
            assertEquals(RET_KILL_THREAD, run(allowAll, AUDIT_ARCH_X86_64, nr), "empty list = x86_64 only " + hex(nr));
        }
        assertEquals(RET_ALLOW, run(with, AUDIT_ARCH_X86_64, x32Read));
        assertEquals(RET_ALLOW, run(with, AUDIT_ARCH_X86_64, x32Ioctl));
        assertEquals(EPERM, run(with, AUDIT_ARCH_X86_64, X32_BIT + 16), "x86_64 ioctl number 16 is not ioctl on x32");
        assertEquals(ENOSYS, run(with, AUDIT_ARCH_X86_64, 514), "x32 ioctl number without the bit: above x86_64 ioctl (16)");
        assertEquals(ENOSYS, run(with, AUDIT_ARCH_X86_64, X32_BIT + 1000));
        assertEquals(ENOSYS, run(with, AUDIT_ARCH_X86_64, -1));
        assertEquals(RET_ALLOW, run(with, AUDIT_ARCH_X86_64, 16), "x86_64 ioctl");
    }

    @Test
    void syscallsAboveTheHighestNamedOneGetEnosys() {
        SeccompProgram p = compile("{'defaultAction': 'SCMP_ACT_ERRNO', " + ALL_X86 + ", 'syscalls': ["
                + "{'names': ['read', 'openat2', 'no_such_syscall'], 'action': 'SCMP_ACT_ALLOW'},"
                + "{'names': ['set_mempolicy_home_node'], 'action': 'SCMP_ACT_ERRNO'}]}");
        int highest = nr(Abi.X86_64, "set_mempolicy_home_node");
        assertEquals(450, highest, "the table's last x86_64 syscall");
        assertEquals(EPERM, call(p, Abi.X86_64, "set_mempolicy_home_node"));
        assertEquals(EPERM, call(p, Abi.X86_64, "futex_waitv"), "known but not allowed: default action");
        assertEquals(ENOSYS, run(p, AUDIT_ARCH_X86_64, highest + 1));
        assertEquals(ENOSYS, run(p, AUDIT_ARCH_X86_64, 100_000));
        assertEquals(ENOSYS, run(p, AUDIT_ARCH_I386, nr(Abi.X86, "set_mempolicy_home_node") + 1));
        assertEquals(ENOSYS, run(p, AUDIT_ARCH_X86_64, nr(Abi.X32, "pwritev2") + 1));
        assertEquals(RET_ALLOW, call(p, Abi.X86_64, "openat2"));
    }

    @Test
    void enosysThresholdIsTheHighestSyscallThePolicyNamesLikeRunc() {
        SeccompProgram p = compile("{'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': ["
                + "{'names': ['read', 'openat2'], 'action': 'SCMP_ACT_ALLOW'}]}");
        int openat2 = nr(Abi.X86_64, "openat2");
        assertEquals(EPERM, run(p, AUDIT_ARCH_X86_64, openat2 - 1));
        assertEquals(ENOSYS, run(p, AUDIT_ARCH_X86_64, openat2 + 1), "newer than anything the profile knows");
    }

    @ParameterizedTest
    @CsvSource({"SCMP_ACT_ALLOW, 0x7fff0000", "SCMP_ACT_LOG, 0x7ffc0000", "SCMP_ACT_TRACE, 0x7ff00001"})
    void noEnosysStubWhenTheDefaultIsPermissive(String defaultAction, String word) {
        SeccompProgram p = compile("{'defaultAction': '" + defaultAction + "', 'syscalls': ["
                + "{'names': ['mount'], 'action': 'SCMP_ACT_ERRNO'}]}");
        assertEquals(word, hex(run(p, AUDIT_ARCH_X86_64, 1000)));
        assertEquals(EPERM, call(p, Abi.X86_64, "mount"));
    }

    @Test
    void rulesForTheSameSyscallAreOredAndTheFirstMatchWins() {
        SeccompProgram p = compile("{'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': ["
                + "{'names': ['personality'], 'action': 'SCMP_ACT_ALLOW', 'args': [{'index': 0, 'value': 8, 'op': 'SCMP_CMP_EQ'}]},"
                + "{'names': ['personality'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 22, 'args': [{'index': 0, 'value': 8, 'op': 'SCMP_CMP_GE'}]},"
                + "{'names': ['personality'], 'action': 'SCMP_ACT_ALLOW', 'args': [{'index': 0, 'value': 0, 'op': 'SCMP_CMP_EQ'}]}]}");
        assertEquals(RET_ALLOW, call(p, Abi.X86_64, "personality", 8));
        assertEquals(errno(22), call(p, Abi.X86_64, "personality", 9));
        assertEquals(RET_ALLOW, call(p, Abi.X86_64, "personality", 0));
        assertEquals(EPERM, call(p, Abi.X86_64, "personality", 3));
    }

    @Test
    void conditionsWithinARuleAreAnded() {
        SeccompProgram p = compile("{'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': [{'names': ['socket'], "
                + "'action': 'SCMP_ACT_ALLOW', 'args': [{'index': 0, 'value': 2, 'op': 'SCMP_CMP_EQ'},"
                + "{'index': 1, 'value': 15, 'valueTwo': 1, 'op': 'SCMP_CMP_MASKED_EQ'}]}]}");
        assertEquals(RET_ALLOW, call(p, Abi.X86_64, "socket", 2, 1));
        assertEquals(RET_ALLOW, call(p, Abi.X86_64, "socket", 2, 0x80001), "SOCK_STREAM|SOCK_CLOEXEC");
        assertEquals(EPERM, call(p, Abi.X86_64, "socket", 2, 2));
        assertEquals(EPERM, call(p, Abi.X86_64, "socket", 10, 1));
    }

    @Test
    void conditionsOnTheSameArgumentBecomeSeparateRulesLikeRunc() {
        SeccompProgram p = compile("{'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': [{'names': ['kill'], "
                + "'action': 'SCMP_ACT_ALLOW', 'args': [{'index': 1, 'value': 9, 'op': 'SCMP_CMP_EQ'},"
                + "{'index': 1, 'value': 15, 'op': 'SCMP_CMP_EQ'}]}]}");
        assertEquals(RET_ALLOW, call(p, Abi.X86_64, "kill", 1, 9));
        assertEquals(RET_ALLOW, call(p, Abi.X86_64, "kill", 1, 15));
        assertEquals(EPERM, call(p, Abi.X86_64, "kill", 1, 2));
    }

    @Test
    void rulesWithTheDefaultActionAreIgnoredLikeRunc() {
        SeccompProgram p = compile("{'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': ["
                + "{'names': ['personality'], 'action': 'SCMP_ACT_ERRNO', 'args': [{'index': 0, 'value': 0, 'op': 'SCMP_CMP_EQ'}]},"
                + "{'names': ['personality'], 'action': 'SCMP_ACT_ALLOW'}]}");
        assertEquals(RET_ALLOW, call(p, Abi.X86_64, "personality", 0));
        SeccompProgram differentErrno = compile("{'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': ["
                + "{'names': ['personality'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 5, 'args': [{'index': 0, 'value': 0, 'op': 'SCMP_CMP_EQ'}]},"
                + "{'names': ['personality'], 'action': 'SCMP_ACT_ALLOW'}]}");
        assertEquals(errno(5), call(differentErrno, Abi.X86_64, "personality", 0));
        assertEquals(RET_ALLOW, call(differentErrno, Abi.X86_64, "personality", 1));
    }

    @Test
    void namesAreResolvedPerArchitecture() {
        SeccompProgram p = compile("{'defaultAction': 'SCMP_ACT_ERRNO', " + ALL_X86 + ", 'syscalls': ["
                + "{'names': ['socketcall', '_llseek', 'arch_prctl'], 'action': 'SCMP_ACT_ALLOW'}]}");
        assertEquals(RET_ALLOW, call(p, Abi.X86, "socketcall"));
        assertEquals(RET_ALLOW, call(p, Abi.X86, "_llseek"));
        assertEquals(RET_ALLOW, call(p, Abi.X86_64, "arch_prctl"));
        assertEquals(RET_ALLOW, call(p, Abi.X32, "arch_prctl"));
        assertEquals(EPERM, run(p, AUDIT_ARCH_X86_64, nr(Abi.X86, "socketcall")), "102 is getuid on x86_64");
        assertEquals(EPERM, run(p, AUDIT_ARCH_I386, nr(Abi.X86_64, "arch_prctl")), "158 is sched_yield on x86");
    }

    /** Reference semantics: libseccomp compares 64-bit values on x86_64 and the low 32 bits on x86/x32. */
    private static boolean holds(ScmpOp op, long arg, long value, long valueTwo, boolean wide) {
        if (!wide) {
            arg &= 0xffff_ffffL;
            value &= 0xffff_ffffL;
            valueTwo &= 0xffff_ffffL;
        }
        int cmp = Long.compareUnsigned(arg, value);
        return switch (op) {
            case EQ -> cmp == 0;
            case NE -> cmp != 0;
            case LT -> cmp < 0;
            case LE -> cmp <= 0;
            case GT -> cmp > 0;
            case GE -> cmp >= 0;
            case MASKED_EQ -> (arg & value) == valueTwo;
        };
    }

    private static final long[] EDGES = {0, 1, 5, 0x7fff_ffffL, 0x8000_0000L, 0xffff_ffffL, 0x1_0000_0000L,
            0x1_0000_0001L, 0x1_ffff_ffffL, 0x7fff_ffff_ffff_ffffL, 0x8000_0000_0000_0000L, 0xffff_ffff_0000_0000L,
            0xffff_ffff_ffff_fffeL, -1L};

    @ParameterizedTest
    @EnumSource(ScmpOp.class)
    void argumentComparisonsMatchLibseccompOnEveryAbi(ScmpOp op) {
        SeccompCompiler compiler = new SeccompCompiler();
        for (long value : EDGES) {
            long valueTwo = op == ScmpOp.MASKED_EQ ? value & 0x0000_0001_0000_0001L : 0;
            SeccompProgram p = compiler.compile(new SeccompSpec("SCMP_ACT_ERRNO", null,
                    List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"), List.of(), List.of(
                    new SyscallRule(List.of("read"), "SCMP_ACT_ALLOW", null,
                            List.of(new ArgCondition(3, value, valueTwo, op.specName()))))));
            for (long edge : EDGES) {
                for (long arg : new long[] {edge, edge + 1, edge - 1}) {
                    for (Abi abi : Abi.values()) {
                        int want = holds(op, arg, value, valueTwo, abi.wideArgs()) ? RET_ALLOW : EPERM;
                        int got = call(p, abi, "read", 0, 0, 0, arg, 0, 0);
                        assertEquals(hex(want), hex(got), () -> abi + ": arg " + Long.toHexString(arg) + " " + op
                                + " " + Long.toHexString(value) + "/" + Long.toHexString(valueTwo));
                    }
                }
            }
        }
    }

    @Test
    void sixtyFourBitArgumentsCompareBothHalvesOnX86_64() {
        SeccompProgram p = compile("{'defaultAction': 'SCMP_ACT_ERRNO', " + ALL_X86 + ", 'syscalls': ["
                + "{'names': ['close'], 'action': 'SCMP_ACT_ALLOW', 'args': [{'index': 0, 'value': 0, 'op': 'SCMP_CMP_EQ'}]}]}");
        assertEquals(RET_ALLOW, call(p, Abi.X86_64, "close", 0));
        assertEquals(EPERM, call(p, Abi.X86_64, "close", 0x1_0000_0000L), "0x1_0000_0000 != 0");
        assertEquals(RET_ALLOW, call(p, Abi.X86, "close", 0x1_0000_0000L), "x86 compares the low word only");
    }

    @Test
    void everyArgumentIndexReadsItsOwnSlot() {
        for (int index = 0; index <= 5; index++) {
            SeccompProgram p = compile("{'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': [{'names': ['mmap'], "
                    + "'action': 'SCMP_ACT_ALLOW', 'args': [{'index': " + index + ", 'value': 77, 'op': 'SCMP_CMP_EQ'}]}]}");
            long[] args = new long[6];
            args[index] = 77;
            assertEquals(RET_ALLOW, call(p, Abi.X86_64, "mmap", args), "index " + index);
            args[index] = 77 + (1L << 32);
            assertEquals(EPERM, call(p, Abi.X86_64, "mmap", args), "index " + index + " high word");
        }
    }

    @Test
    void flagsBecomeFilterFlagBits() {
        SeccompProgram p = compile("{'defaultAction': 'SCMP_ACT_ALLOW', 'flags': ['SECCOMP_FILTER_FLAG_TSYNC', "
                + "'SECCOMP_FILTER_FLAG_LOG', 'SECCOMP_FILTER_FLAG_SPEC_ALLOW']}");
        assertEquals(7, p.filterFlags());
        assertEquals(2, compile("{'defaultAction': 'SCMP_ACT_ALLOW', 'flags': ['SECCOMP_FILTER_FLAG_LOG']}").filterFlags());
    }

    @Test
    void longRuleListsUseFarJumpsAndStayCorrect() {
        List<SyscallRule> rules = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            rules.add(new SyscallRule(List.of("ioctl"), "SCMP_ACT_ERRNO", 1000 + i,
                    List.of(new ArgCondition(1, 0x5400 + i, 0, "SCMP_CMP_EQ"))));
        }
        rules.add(new SyscallRule(List.of("read", "write"), "SCMP_ACT_ALLOW", null, List.of()));
        SeccompProgram p = new SeccompCompiler().compile(new SeccompSpec("SCMP_ACT_ERRNO", null,
                List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"), List.of(), rules));
        assertTrue(p.instructionCount() > 3 * 255, "bodies longer than a conditional jump: " + p.instructionCount());
        for (Abi abi : Abi.values()) {
            for (int i : new int[] {0, 1, 60, 119}) {
                assertEquals(errno(1000 + i), call(p, abi, "ioctl", 3, 0x5400 + i), abi + " ioctl " + i);
            }
            assertEquals(EPERM, call(p, abi, "ioctl", 3, 0x5400 + 120));
            assertEquals(RET_ALLOW, call(p, abi, "read"));
            assertEquals(RET_ALLOW, call(p, abi, "write"));
        }
    }

    @Test
    void manyUnconditionalSyscallsAreSplitIntoShortChains() {
        List<String> all = new ArrayList<>(SyscallTable.load(Abi.X86).numbers().keySet());
        SeccompProgram p = new SeccompCompiler().compile(new SeccompSpec("SCMP_ACT_KILL_PROCESS", null,
                List.of("SCMP_ARCH_X86"), List.of(), List.of(new SyscallRule(all, "SCMP_ACT_ALLOW", null, null))));
        for (String name : all) {
            assertEquals(RET_ALLOW, call(p, Abi.X86, name), name);
        }
        assertEquals(RET_KILL_PROCESS, run(p, AUDIT_ARCH_I386, 223), "a hole in the x86 table");
        System.out.println("all " + all.size() + " x86 syscalls allowed: " + p.instructionCount() + " instructions");
    }

    @Test
    void programsOverTheKernelLimitAreRejected() {
        List<SyscallRule> rules = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            rules.add(new SyscallRule(List.of("ioctl"), "SCMP_ACT_ALLOW", null,
                    List.of(new ArgCondition(1, i, 0, "SCMP_CMP_EQ"))));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SeccompCompiler()
                .compile(new SeccompSpec("SCMP_ACT_ERRNO", null, null, null, rules)));
        assertTrue(e.getMessage().startsWith("linux.seccomp: compiled filter needs "), e.getMessage());
        assertTrue(e.getMessage().endsWith("more than the kernel limit of 4096"), e.getMessage());
    }

    @Test
    void programBytesAreLittleEndianSockFilters() {
        SeccompProgram p = compile("{'defaultAction': 'SCMP_ACT_ALLOW'}");
        byte[] f = p.filter();
        assertEquals(f.length / 8, p.instructionCount());
        // first instruction: BPF_LD|BPF_W|BPF_ABS (0x20), jt 0, jf 0, k = offsetof(seccomp_data, arch) = 4
        assertEquals(List.of(0x20, 0, 0, 0, 4, 0, 0, 0), toList(f, 0));
        f[0] = 0x7f;
        assertEquals(0x20, p.filter()[0], "filter() returns a copy");
        assertEquals(p, compile("{'defaultAction': 'SCMP_ACT_ALLOW'}"));
    }

    private static List<Integer> toList(byte[] bytes, int from) {
        List<Integer> list = new ArrayList<>();
        for (int i = from; i < from + 8; i++) {
            list.add(bytes[i] & 0xff);
        }
        return list;
    }
}
