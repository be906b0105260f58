package berth.runtime.seccomp;

/** The {@code SCMP_CMP_*} argument comparison operators. */
enum ScmpOp {
    NE, LT, LE, EQ, GE, GT, MASKED_EQ;

    String specName() {
        return "SCMP_CMP_" + name();
    }

    /** Null when the name is unknown. */
    static ScmpOp fromSpecName(String name) {
        for (ScmpOp op : values()) {
            if (op.specName().equals(name)) {
                return op;
            }
        }
        return null;
    }
}
