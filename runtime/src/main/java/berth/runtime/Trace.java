package berth.runtime;

/**
 * Start-up tracing for performance work: with BERTH_TRACE=1 in the environment, {@link #mark} prints the
 * milliseconds since the JVM started at named points to stderr. Off, it costs one branch.
 */
public final class Trace {
    private static final boolean ON = System.getenv("BERTH_TRACE") != null;
    private static final long START = ON ? ProcessHandle.current().info().startInstant()
            .map(i -> i.toEpochMilli()).orElse(System.currentTimeMillis()) : 0;

    private Trace() {}

    public static void mark(String point) {
        if (ON) System.err.println("trace " + (System.currentTimeMillis() - START) + " ms " + point);
    }
}
