package berth.runtime.seccomp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Parsed, validated form of the OCI {@code linux.seccomp} object. Lists are copied and unmodifiable;
 * null lists become empty. {@code defaultErrnoRet} and {@code errnoRet} are null when absent.
 */
public record SeccompSpec(String defaultAction, Integer defaultErrnoRet, List<String> architectures,
                          List<String> flags, List<SyscallRule> syscalls) {

    public SeccompSpec {
        architectures = copy(architectures);
        flags = copy(flags);
        syscalls = copy(syscalls);
    }

    /** One entry of {@code linux.seccomp.syscalls}. */
    public record SyscallRule(List<String> names, String action, Integer errnoRet, List<ArgCondition> args) {
        public SyscallRule {
            names = copy(names);
            args = copy(args);
        }
    }

    /**
     * One entry of {@code syscalls[].args}: {@code (arg[index] op value)}, or for {@code SCMP_CMP_MASKED_EQ}
     * {@code (arg[index] & value) == valueTwo}. Values are unsigned 64-bit, held in a {@code long}.
     */
    public record ArgCondition(int index, long value, long valueTwo, String op) {}

    /**
     * Parses and validates what a JSON library produced for the {@code seccomp} object (Map, List, String,
     * Number, Boolean). Unknown fields are rejected.
     *
     * @throws IllegalArgumentException with a one-line message naming the offending field
     */
    public static SeccompSpec fromJson(Map<String, Object> json) {
        SeccompSpec spec = SpecReader.read(json);
        spec.validate();
        return spec;
    }

    /** Checks everything the compiler relies on; messages name the field as in the JSON. */
    void validate() {
        SpecValidator.validate(this);
    }

    /** Like List.copyOf but keeps null elements so that validation can report them by index. */
    private static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(list));
    }
}
