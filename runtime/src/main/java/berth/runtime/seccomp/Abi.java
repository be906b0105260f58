package berth.runtime.seccomp;

/**
 * A syscall ABI this compiler can filter on an x86_64 host: the AUDIT_ARCH value the kernel reports in
 * {@code seccomp_data.arch}, the argument width libseccomp assumes, and the syscall table resource.
 */
enum Abi {
    X86_64(0xC000_003E, true, "syscalls-x86_64.txt", 0),
    /** i386 compat mode. */
    X86(0x4000_0003, false, "syscalls-x86.txt", 0),
    /** Shares AUDIT_ARCH_X86_64; its syscall numbers carry {@link #X32_SYSCALL_BIT}. */
    X32(0xC000_003E, false, "syscalls-x32.txt", Abi.X32_SYSCALL_BIT);

    static final int X32_SYSCALL_BIT = 0x4000_0000;

    private final int auditArch;
    private final boolean wideArgs;
    private final String tableResource;
    private final int numberBase;

    Abi(int auditArch, boolean wideArgs, String tableResource, int numberBase) {
        this.auditArch = auditArch;
        this.wideArgs = wideArgs;
        this.tableResource = tableResource;
        this.numberBase = numberBase;
    }

    int auditArch() {
        return auditArch;
    }

    /**
     * True when argument comparisons use both 32-bit halves. libseccomp treats x86 and x32 as 32-bit
     * architectures (ARCH_SIZE_32) and compares only the low word there; we do the same.
     */
    boolean wideArgs() {
        return wideArgs;
    }

    String tableResource() {
        return tableResource;
    }

    /** Added to the numbers in the table file (the x32 bit for x32). */
    int numberBase() {
        return numberBase;
    }
}
