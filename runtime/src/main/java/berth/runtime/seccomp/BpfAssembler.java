package berth.runtime.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal classic-BPF assembler with forward labels. Conditional jumps only reach 255 instructions; the
 * compiler lays code out so that they never need more and uses {@link #jump(Label)} (32-bit offset) for
 * long distances. A conditional jump that ends up out of range is a compiler bug and fails loudly.
 */
final class BpfAssembler {
    static final int LD_W_ABS = 0x20;
    static final int ALU_AND_K = 0x54;
    static final int JMP_JA = 0x05;
    static final int JMP_JEQ_K = 0x15;
    static final int JMP_JGT_K = 0x25;
    static final int JMP_JGE_K = 0x35;
    static final int RET_K = 0x06;

    /** A jump target; bound once to the position of the next emitted instruction. */
    static final class Label {
        private int position = -1;
    }

    /** {@code jt}/{@code jf} null means "the next instruction". */
    private record Insn(int code, int k, Label jt, Label jf) {}

    private final List<Insn> insns = new ArrayList<>();

    Label label() {
        return new Label();
    }

    void bind(Label label) {
        if (label.position >= 0) {
            throw new IllegalStateException("label bound twice");
        }
        label.position = insns.size();
    }

    /** A = seccomp_data[offset] (32-bit word). */
    void load(int offset) {
        insns.add(new Insn(LD_W_ABS, offset, null, null));
    }

    void and(int mask) {
        insns.add(new Insn(ALU_AND_K, mask, null, null));
    }

    void ret(int word) {
        insns.add(new Insn(RET_K, word, null, null));
    }

    /** Unconditional jump (JA), any forward distance. */
    void jump(Label target) {
        insns.add(new Insn(JMP_JA, 0, target, null));
    }

    /** Conditional jump comparing A with {@code k}; targets must be within 255 instructions. */
    void jump(int code, int k, Label ifTrue, Label ifFalse) {
        insns.add(new Insn(code, k, ifTrue, ifFalse));
    }

    int size() {
        return insns.size();
    }

    byte[] assemble() {
        ByteBuffer out = ByteBuffer.allocate(insns.size() * SeccompProgram.INSTRUCTION_SIZE)
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < insns.size(); i++) {
            Insn insn = insns.get(i);
            int k = insn.k();
            int jt = 0;
            int jf = 0;
            if (insn.code() == JMP_JA) {
                k = offset(i, insn.jt(), Integer.MAX_VALUE);
            } else if ((insn.code() & 0x07) == 0x05) {
                jt = offset(i, insn.jt(), 255);
                jf = offset(i, insn.jf(), 255);
            }
            out.putShort((short) insn.code()).put((byte) jt).put((byte) jf).putInt(k);
        }
        return out.array();
    }

    private int offset(int from, Label target, int max) {
        if (target == null) {
            return 0;
        }
        if (target.position < 0) {
            throw new IllegalStateException("unbound label at instruction " + from);
        }
        int offset = target.position - (from + 1);
        if (offset < 0 || offset > max) {
            throw new IllegalStateException("jump at instruction " + from + " out of range: " + offset);
        }
        return offset;
    }
}
