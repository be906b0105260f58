package berth.runtime.seccomp;

import java.util.Arrays;
import java.util.Objects;

/**
 * A compiled seccomp filter, ready for {@code seccomp(SECCOMP_SET_MODE_FILTER, filterFlags, &prog)}.
 *
 * @param filter      {@code struct sock_filter[]} as bytes, little-endian: u16 code, u8 jt, u8 jf, u32 k
 * @param filterFlags {@code SECCOMP_FILTER_FLAG_*} bits: TSYNC=1, LOG=2, SPEC_ALLOW=4
 */
public record SeccompProgram(byte[] filter, int filterFlags) {
    static final int INSTRUCTION_SIZE = 8;
    /** BPF_MAXINSNS. */
    static final int MAX_INSTRUCTIONS = 4096;

    public SeccompProgram {
        Objects.requireNonNull(filter, "filter");
        int count = filter.length / INSTRUCTION_SIZE;
        if (filter.length % INSTRUCTION_SIZE != 0 || count == 0 || count > MAX_INSTRUCTIONS) {
            throw new IllegalArgumentException("seccomp filter must hold 1.." + MAX_INSTRUCTIONS
                    + " instructions of " + INSTRUCTION_SIZE + " bytes, got " + filter.length + " bytes");
        }
        filter = filter.clone();
    }

    /** A copy of the filter bytes. */
    @Override
    public byte[] filter() {
        return filter.clone();
    }

    public int instructionCount() {
        return filter.length / INSTRUCTION_SIZE;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeccompProgram other && filterFlags == other.filterFlags
                && Arrays.equals(filter, other.filter);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(filter) + filterFlags;
    }

    @Override
    public String toString() {
        return "SeccompProgram[instructions=" + instructionCount() + ", filterFlags=" + filterFlags + "]";
    }
}
