package berth.runtime.seccomp;

/** The {@code SCMP_ACT_*} actions and the {@code SECCOMP_RET_*} words they compile to. */
enum ScmpAction {
    KILL(0x0000_0000, false),
    KILL_THREAD(0x0000_0000, false),
    KILL_PROCESS(0x8000_0000, false),
    TRAP(0x0003_0000, false),
    ERRNO(0x0005_0000, true),
    TRACE(0x7ff0_0000, true),
    LOG(0x7ffc_0000, false),
    ALLOW(0x7fff_0000, false),
    NOTIFY(0x7fc0_0000, false);

    /** Errno used by runc when an ERRNO or TRACE action has no errnoRet. */
    static final int EPERM = 1;

    private final int base;
    private final boolean takesErrno;

    ScmpAction(int base, boolean takesErrno) {
        this.base = base;
        this.takesErrno = takesErrno;
    }

    String specName() {
        return "SCMP_ACT_" + name();
    }

    boolean takesErrno() {
        return takesErrno;
    }

    /** runc's patchbpf treats these as permissive and adds no -ENOSYS stub. */
    boolean isAllowLike() {
        return this == ALLOW || this == LOG || this == TRACE;
    }

    /** The filter return value; {@code errno} may be null (EPERM). */
    int word(Integer errno) {
        return takesErrno ? base | ((errno == null ? EPERM : errno) & 0xffff) : base;
    }

    /** Null when the name is unknown. */
    static ScmpAction fromSpecName(String name) {
        for (ScmpAction action : values()) {
            if (action.specName().equals(name)) {
                return action;
            }
        }
        return null;
    }
}
