package berth.runtime.seccomp;

import static berth.runtime.seccomp.BpfAssembler.JMP_JEQ_K;
import static berth.runtime.seccomp.BpfAssembler.JMP_JGE_K;
import static berth.runtime.seccomp.BpfAssembler.JMP_JGT_K;

import berth.runtime.seccomp.BpfAssembler.Label;
import berth.runtime.seccomp.SeccompSpec.ArgCondition;
import berth.runtime.seccomp.SeccompSpec.SyscallRule;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiles a {@link SeccompSpec} into a classic-BPF seccomp program, matching what runc builds with libseccomp
 * plus its patchbpf {@code -ENOSYS} stub. Layout, all on the x86 family:
 *
 * <pre>
 *   A = arch
 *   if arch == AUDIT_ARCH_X86_64:  A = nr
 *       nr &gt;= 0x40000000 ? x32 part (if SCMP_ARCH_X32 listed) : bad-arch
 *       x86_64 part, then x32 part
 *   if arch == AUDIT_ARCH_I386 (if SCMP_ARCH_X86 listed): A = nr; x86 part
 *   RET KILL                        (libseccomp's default bad-arch action)
 *
 *   part:  nr &gt; highest syscall named in the profile ? RET ERRNO(ENOSYS)   (unless default is ALLOW/LOG/TRACE)
 *          JEQ chains of syscalls whose outcome does not depend on arguments, one RET per action
 *          per syscall with conditions: its rules in profile order, first match wins, else default
 *          RET default
 * </pre>
 *
 * Like runc: the native architecture (x86_64) is always filtered; rules whose action equals the default action
 * are dropped; a rule with several conditions on the same argument becomes one rule per condition (ORed);
 * syscall names unknown on an architecture are skipped there. Like libseccomp: arguments are compared as 64-bit
 * values (both halves) on x86_64 and as their low 32 bits on x86 and x32. Syscall multiplexing
 * (socketcall/ipc on x86) is not rewritten; those syscalls are filtered by their own names.
 */
public final class SeccompCompiler {
    static final int DATA_NR = 0;
    static final int DATA_ARCH = 4;
    static final int DATA_ARGS = 16;
    static final int ENOSYS = 38;
    static final int BAD_ARCH_ACTION = ScmpAction.KILL.word(null);
    /** Longest JEQ chain sharing one RET; keeps every conditional jump within 255. */
    private static final int GROUP_CHUNK = 255;

    /** One rule after runc's expansion: a syscall name, an action word and ANDed conditions. */
    private record Rule(String name, int action, List<ArgCondition> conditions) {}

    /** The outcome for one syscall: conditional rules tried in order, else {@code fallback}. */
    private record Decision(List<Rule> conditional, int fallback) {}

    /** How many distinct profiles a long-lived compiler (a daemon's) keeps compiled. */
    private static final int REMEMBERED = 16;

    private final Map<Abi, SyscallTable> tables = new ConcurrentHashMap<>();
    private final Map<SeccompSpec, SeccompProgram> compiled = new LinkedHashMap<>(REMEMBERED, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<SeccompSpec, SeccompProgram> eldest) {
            return size() > REMEMBERED;
        }
    };

    /** Syscall tables are loaded from resources on first use. */
    public SeccompCompiler() {}

    /**
     * The program for {@code spec}; a spec equal to one compiled before (a daemon starts most containers with
     * Docker's default profile) gets the same program without compiling it again.
     *
     * @throws IllegalArgumentException with a one-line message when the spec is invalid or the program would
     *                                  exceed the kernel's 4096-instruction limit
     */
    public SeccompProgram compile(SeccompSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException(SpecReader.ROOT + ": must not be null");
        }
        synchronized (compiled) {
            SeccompProgram known = compiled.get(spec);
            if (known != null) return known;
        }
        SeccompProgram program = build(spec);
        synchronized (compiled) {
            compiled.put(spec, program);
        }
        return program;
    }

    private SeccompProgram build(SeccompSpec spec) {
        spec.validate();
        ScmpAction defaultAction = ScmpAction.fromSpecName(spec.defaultAction());
        int defaultWord = defaultAction.word(spec.defaultErrnoRet());
        Set<Abi> abis = EnumSet.of(Abi.X86_64);
        for (String arch : spec.architectures()) {
            Abi abi = ScmpArch.fromSpecName(arch).abi();
            if (abi != null) {
                abis.add(abi);
            }
        }
        List<Rule> rules = expand(spec, defaultWord);
        boolean enosysStub = !defaultAction.isAllowLike();

        BpfAssembler asm = new BpfAssembler();
        asm.load(DATA_ARCH);
        Label notX86_64 = asm.label();
        Label x86_64 = asm.label();
        asm.jump(JMP_JEQ_K, Abi.X86_64.auditArch(), x86_64, null);
        asm.jump(notX86_64);
        asm.bind(x86_64);
        asm.load(DATA_NR);
        Label x32 = asm.label();
        Label native64 = asm.label();
        asm.jump(JMP_JGE_K, Abi.X32_SYSCALL_BIT, null, native64);
        if (abis.contains(Abi.X32)) {
            asm.jump(x32);
        } else {
            asm.ret(BAD_ARCH_ACTION);
        }
        asm.bind(native64);
        emitAbi(asm, Abi.X86_64, spec, rules, defaultWord, enosysStub);
        if (abis.contains(Abi.X32)) {
            asm.bind(x32);
            emitAbi(asm, Abi.X32, spec, rules, defaultWord, enosysStub);
        }
        asm.bind(notX86_64);
        if (abis.contains(Abi.X86)) {
            Label notI386 = asm.label();
            Label i386 = asm.label();
            asm.jump(JMP_JEQ_K, Abi.X86.auditArch(), i386, null);
            asm.jump(notI386);
            asm.bind(i386);
            asm.load(DATA_NR);
            emitAbi(asm, Abi.X86, spec, rules, defaultWord, enosysStub);
            asm.bind(notI386);
        }
        asm.ret(BAD_ARCH_ACTION);

        if (asm.size() > SeccompProgram.MAX_INSTRUCTIONS) {
            throw new IllegalArgumentException(SpecReader.ROOT + ": compiled filter needs " + asm.size()
                    + " BPF instructions, more than the kernel limit of " + SeccompProgram.MAX_INSTRUCTIONS);
        }
        int flags = 0;
        for (String flag : spec.flags()) {
            flags |= FilterFlag.fromSpecName(flag).bit();
        }
        return new SeccompProgram(asm.assemble(), flags);
    }

    private SyscallTable table(Abi abi) {
        return tables.computeIfAbsent(abi, SyscallTable::load);
    }

    /** Applies runc's rule handling: drop rules with the default action, split same-argument conditions. */
    private static List<Rule> expand(SeccompSpec spec, int defaultWord) {
        List<Rule> rules = new ArrayList<>();
        for (SyscallRule rule : spec.syscalls()) {
            int action = ScmpAction.fromSpecName(rule.action()).word(rule.errnoRet());
            if (action == defaultWord) {
                continue;
            }
            Set<Integer> indices = new HashSet<>();
            boolean sameArgTwice = false;
            for (ArgCondition arg : rule.args()) {
                sameArgTwice |= !indices.add(arg.index());
            }
            for (String name : rule.names()) {
                if (sameArgTwice) {
                    for (ArgCondition arg : rule.args()) {
                        rules.add(new Rule(name, action, List.of(arg)));
                    }
                } else {
                    rules.add(new Rule(name, action, rule.args()));
                }
            }
        }
        return rules;
    }

    private void emitAbi(BpfAssembler asm, Abi abi, SeccompSpec spec, List<Rule> rules, int defaultWord,
                         boolean enosysStub) {
        SyscallTable table = table(abi);
        if (enosysStub) {
            int highest = highestNamedSyscall(spec, table);
            if (highest > 0) {
                Label known = asm.label();
                asm.jump(JMP_JGT_K, highest, null, known);
                asm.ret(ScmpAction.ERRNO.word(ENOSYS));
                asm.bind(known);
            }
        }
        Map<Integer, List<Rule>> bySyscall = new TreeMap<>();
        for (Rule rule : rules) {
            Integer nr = table.lookup(rule.name());
            if (nr != null) {
                bySyscall.computeIfAbsent(nr, n -> new ArrayList<>()).add(rule);
            }
        }
        Map<Integer, List<Integer>> unconditional = new LinkedHashMap<>();
        Map<Integer, Decision> conditional = new TreeMap<>();
        bySyscall.forEach((nr, list) -> {
            Decision decision = decide(list, defaultWord);
            if (!decision.conditional().isEmpty()) {
                conditional.put(nr, decision);
            } else if (decision.fallback() != defaultWord) {
                unconditional.computeIfAbsent(decision.fallback(), a -> new ArrayList<>()).add(nr);
            }
        });
        unconditional.forEach((action, numbers) -> emitGroup(asm, numbers, action));
        conditional.forEach((nr, decision) -> emitConditional(asm, abi, nr, decision));
        asm.ret(defaultWord);
    }

    /** runc's patchbpf threshold: the highest number of any syscall the profile names on this ABI. */
    private static int highestNamedSyscall(SeccompSpec spec, SyscallTable table) {
        int highest = 0;
        for (SyscallRule rule : spec.syscalls()) {
            for (String name : rule.names()) {
                Integer nr = table.lookup(name);
                if (nr != null && Integer.compareUnsigned(nr, highest) > 0) {
                    highest = nr;
                }
            }
        }
        return highest;
    }

    /** First matching rule wins: rules after an unconditional one are dead, trailing no-op rules are dropped. */
    private static Decision decide(List<Rule> rules, int defaultWord) {
        List<Rule> conditional = new ArrayList<>();
        int fallback = defaultWord;
        for (Rule rule : rules) {
            if (rule.conditions().isEmpty()) {
                fallback = rule.action();
                break;
            }
            conditional.add(rule);
        }
        while (!conditional.isEmpty() && conditional.getLast().action() == fallback) {
            conditional.removeLast();
        }
        return new Decision(conditional, fallback);
    }

    /** {@code JEQ nr1 -> ret; JEQ nr2 -> ret; ...; RET action}, in chunks so every jt fits in 8 bits. */
    private static void emitGroup(BpfAssembler asm, List<Integer> numbers, int action) {
        for (int start = 0; start < numbers.size(); start += GROUP_CHUNK) {
            List<Integer> chunk = numbers.subList(start, Math.min(numbers.size(), start + GROUP_CHUNK));
            Label hit = asm.label();
            Label miss = asm.label();
            for (int i = 0; i < chunk.size(); i++) {
                asm.jump(JMP_JEQ_K, chunk.get(i), hit, i == chunk.size() - 1 ? miss : null);
            }
            asm.bind(hit);
            asm.ret(action);
            asm.bind(miss);
        }
    }

    /** {@code JEQ nr, body; JA next; body: rule1 ... RET fallback; next:} — the JA makes body size free. */
    private static void emitConditional(BpfAssembler asm, Abi abi, int nr, Decision decision) {
        Label body = asm.label();
        Label next = asm.label();
        asm.jump(JMP_JEQ_K, nr, body, null);
        asm.jump(next);
        asm.bind(body);
        for (Rule rule : decision.conditional()) {
            Label fail = asm.label();
            for (ArgCondition condition : rule.conditions()) {
                emitCondition(asm, abi.wideArgs(), condition, fail);
            }
            asm.ret(rule.action());
            asm.bind(fail);
        }
        asm.ret(decision.fallback());
        asm.bind(next);
    }

    /** Falls through when the condition holds, jumps to {@code fail} otherwise (at most 6 instructions). */
    private static void emitCondition(BpfAssembler asm, boolean wide, ArgCondition c, Label fail) {
        int low = DATA_ARGS + 8 * c.index();
        int high = low + 4;
        ScmpOp op = ScmpOp.fromSpecName(c.op());
        int vLo = (int) c.value();
        int vHi = (int) (c.value() >>> 32);
        if (!wide) {
            asm.load(low);
            switch (op) {
                case EQ -> asm.jump(JMP_JEQ_K, vLo, null, fail);
                case NE -> asm.jump(JMP_JEQ_K, vLo, fail, null);
                case GT -> asm.jump(JMP_JGT_K, vLo, null, fail);
                case GE -> asm.jump(JMP_JGE_K, vLo, null, fail);
                case LT -> asm.jump(JMP_JGE_K, vLo, fail, null);
                case LE -> asm.jump(JMP_JGT_K, vLo, fail, null);
                case MASKED_EQ -> {
                    asm.and(vLo);
                    asm.jump(JMP_JEQ_K, (int) c.valueTwo(), null, fail);
                }
            }
            return;
        }
        Label pass = asm.label();
        asm.load(high);
        switch (op) {
            case EQ -> {
                asm.jump(JMP_JEQ_K, vHi, null, fail);
                asm.load(low);
                asm.jump(JMP_JEQ_K, vLo, null, fail);
            }
            case NE -> {
                asm.jump(JMP_JEQ_K, vHi, null, pass);
                asm.load(low);
                asm.jump(JMP_JEQ_K, vLo, fail, null);
            }
            case GT, GE -> {
                asm.jump(JMP_JGT_K, vHi, pass, null);
                asm.jump(JMP_JEQ_K, vHi, null, fail);
                asm.load(low);
                asm.jump(op == ScmpOp.GT ? JMP_JGT_K : JMP_JGE_K, vLo, null, fail);
            }
            case LT, LE -> {
                asm.jump(JMP_JGT_K, vHi, fail, null);
                asm.jump(JMP_JEQ_K, vHi, null, pass);
                asm.load(low);
                asm.jump(op == ScmpOp.LT ? JMP_JGE_K : JMP_JGT_K, vLo, fail, null);
            }
            case MASKED_EQ -> {
                asm.and(vHi);
                asm.jump(JMP_JEQ_K, (int) (c.valueTwo() >>> 32), null, fail);
                asm.load(low);
                asm.and(vLo);
                asm.jump(JMP_JEQ_K, (int) c.valueTwo(), null, fail);
            }
        }
        asm.bind(pass);
    }
}
