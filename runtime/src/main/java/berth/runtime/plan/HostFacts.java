package berth.runtime.plan;

/**
 * What the plan compiler needs to know about the host, gathered once by the caller so that compiling stays
 * a pure function.
 *
 * @param hasKcore whether /proc/kcore exists (then /dev/core links to it, as runc does)
 */
public record HostFacts(boolean hasKcore) {}
