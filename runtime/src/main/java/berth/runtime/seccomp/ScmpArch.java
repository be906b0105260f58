package berth.runtime.seccomp;

/**
 * The {@code SCMP_ARCH_*} names accepted in {@code linux.seccomp.architectures}. Only the x86 family can
 * run on this host; the others are accepted and never match (their syscalls get the bad-arch action).
 */
enum ScmpArch {
    NATIVE(Abi.X86_64), X86_64(Abi.X86_64), X86(Abi.X86), X32(Abi.X32),
    ARM(null), AARCH64(null), MIPS(null), MIPS64(null), MIPS64N32(null), MIPSEL(null), MIPSEL64(null),
    MIPSEL64N32(null), PPC(null), PPC64(null), PPC64LE(null), S390(null), S390X(null), PARISC(null),
    PARISC64(null), RISCV64(null), LOONGARCH64(null), M68K(null), SH(null), SHEB(null);

    private final Abi abi;

    ScmpArch(Abi abi) {
        this.abi = abi;
    }

    /** The ABI to filter on this host, or null for a foreign architecture. */
    Abi abi() {
        return abi;
    }

    String specName() {
        return "SCMP_ARCH_" + name();
    }

    /** Null when the name is unknown. */
    static ScmpArch fromSpecName(String name) {
        for (ScmpArch arch : values()) {
            if (arch.specName().equals(name)) {
                return arch;
            }
        }
        return null;
    }
}
