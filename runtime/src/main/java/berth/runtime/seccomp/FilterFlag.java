package berth.runtime.seccomp;

/** The {@code SECCOMP_FILTER_FLAG_*} flags the runtime accepts, with their kernel bit values. */
enum FilterFlag {
    TSYNC(1), LOG(2), SPEC_ALLOW(4);

    private final int bit;

    FilterFlag(int bit) {
        this.bit = bit;
    }

    int bit() {
        return bit;
    }

    String specName() {
        return "SECCOMP_FILTER_FLAG_" + name();
    }

    /** Null when the name is unknown. */
    static FilterFlag fromSpecName(String name) {
        for (FilterFlag flag : values()) {
            if (flag.specName().equals(name)) {
                return flag;
            }
        }
        return null;
    }
}
