package berth.runtime.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A classic-BPF interpreter for seccomp programs, covering the opcodes the compiler emits, plus the load-time
 * checks the kernel applies (bpf_check_classic and seccomp_check_filter) for those opcodes.
 */
final class BpfInterpreter {
    static final int LD_W_ABS = 0x20;
    static final int ALU_AND_K = 0x54;
    static final int JMP_JA = 0x05;
    static final int JMP_JEQ_K = 0x15;
    static final int JMP_JGT_K = 0x25;
    static final int JMP_JGE_K = 0x35;
    static final int JMP_JSET_K = 0x45;
    static final int RET_K = 0x06;
    static final int SECCOMP_DATA_SIZE = 64;

    /** struct seccomp_data: int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6]. */
    record SeccompData(int nr, int arch, long instructionPointer, long[] args) {
        SeccompData {
            if (args.length > 6) {
                throw new IllegalArgumentException("at most 6 args");
            }
            args = java.util.Arrays.copyOf(args, 6);
        }

        int word(int offset) {
            ByteBuffer b = ByteBuffer.allocate(SECCOMP_DATA_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(nr).putInt(arch).putLong(instructionPointer);
            for (long arg : args) {
                b.putLong(arg);
            }
            return b.getInt(offset);
        }
    }

    private record Insn(int code, int jt, int jf, int k) {}

    private BpfInterpreter() {}

    private static Insn[] decode(byte[] filter) {
        if (filter.length == 0 || filter.length % 8 != 0) {
            throw new AssertionError("filter length " + filter.length + " is not a positive multiple of 8");
        }
        ByteBuffer b = ByteBuffer.wrap(filter).order(ByteOrder.LITTLE_ENDIAN);
        Insn[] insns = new Insn[filter.length / 8];
        for (int i = 0; i < insns.length; i++) {
            insns[i] = new Insn(b.getShort() & 0xffff, b.get() & 0xff, b.get() & 0xff, b.getInt());
        }
        return insns;
    }

    /** Throws AssertionError where the kernel would reject the program with EINVAL. */
    static void verify(byte[] filter) {
        Insn[] insns = decode(filter);
        if (insns.length > 4096) {
            throw new AssertionError("more than 4096 instructions: " + insns.length);
        }
        for (int i = 0; i < insns.length; i++) {
            Insn in = insns[i];
            switch (in.code()) {
                case LD_W_ABS -> {
                    if (in.k() < 0 || in.k() >= SECCOMP_DATA_SIZE || (in.k() & 3) != 0) {
                        throw new AssertionError("bad seccomp_data offset " + in.k() + " at " + i);
                    }
                }
                case ALU_AND_K, RET_K -> { }
                case JMP_JA -> {
                    if (Integer.toUnsignedLong(in.k()) >= insns.length - i - 1) {
                        throw new AssertionError("JA out of range at " + i);
                    }
                }
                case JMP_JEQ_K, JMP_JGT_K, JMP_JGE_K, JMP_JSET_K -> {
                    if (i + 1 + in.jt() >= insns.length || i + 1 + in.jf() >= insns.length) {
                        throw new AssertionError("conditional jump out of range at " + i);
                    }
                }
                default -> throw new AssertionError("unexpected opcode 0x" + Integer.toHexString(in.code()) + " at " + i);
            }
        }
        if (insns[insns.length - 1].code() != RET_K) {
            throw new AssertionError("last instruction is not RET");
        }
    }

    /** Verifies, then runs the program and returns the SECCOMP_RET_* word. */
    static int run(byte[] filter, SeccompData data) {
        verify(filter);
        Insn[] insns = decode(filter);
        int a = 0;
        int pc = 0;
        while (true) {
            Insn in = insns[pc++];
            switch (in.code()) {
                case LD_W_ABS -> a = data.word(in.k());
                case ALU_AND_K -> a &= in.k();
                case RET_K -> {
                    return in.k();
                }
                case JMP_JA -> pc += in.k();
                case JMP_JEQ_K -> pc += a == in.k() ? in.jt() : in.jf();
                case JMP_JGT_K -> pc += Integer.compareUnsigned(a, in.k()) > 0 ? in.jt() : in.jf();
                case JMP_JGE_K -> pc += Integer.compareUnsigned(a, in.k()) >= 0 ? in.jt() : in.jf();
                case JMP_JSET_K -> pc += (a & in.k()) != 0 ? in.jt() : in.jf();
                default -> throw new AssertionError("unexpected opcode " + in.code());
            }
        }
    }
}
