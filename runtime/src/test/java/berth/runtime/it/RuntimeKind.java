package berth.runtime.it;

import java.nio.file.Path;

/** The two OCI runtimes every behavioural test runs against: berth-runtime and runc (the reference). */
public enum RuntimeKind {
    BERTH("berth-runtime", ItEnv.BERTH_BINARY),
    RUNC("runc", ItEnv.RUNC_BINARY);

    private final String displayName;
    private final Path binary;

    RuntimeKind(String displayName, Path binary) {
        this.displayName = displayName;
        this.binary = binary;
    }

    public Path binary() {
        return binary;
    }

    public boolean isBerth() {
        return this == BERTH;
    }

    @Override
    public String toString() {
        return displayName;
    }
}
