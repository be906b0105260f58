package berth.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One running executor, seen from the runtime: its stdin (plan, then "go" lines), its stdout (message
 * lines), its stderr (hook output when asked for) and its exit. The real one is a JDK {@link Process};
 * unit tests script a fake.
 */
public interface ExecutorProcess {
    long pid();

    OutputStream commands();

    InputStream messages();

    /** The executor's stderr when it was started with {@code captureStderr}, else null. */
    InputStream errors();

    int waitFor() throws InterruptedException;

    /** The exit status, or -1 if it is still running after the timeout. */
    int waitFor(long timeout, TimeUnit unit) throws InterruptedException;

    void kill();

    /** Starts executors. */
    interface Starter {
        /**
         * @param args          the executor's arguments after its path (JAVA_PID DST=SRC...)
         * @param captureStderr whether to capture stderr (hooks) or let it go to ours
         */
        ExecutorProcess start(List<String> args, boolean captureStderr) throws IOException;
    }

    /** Starts the executor binary with the JDK's process API and an empty environment. */
    static Starter jdk(ExecutorBinary binary) {
        return (args, captureStderr) -> {
            List<String> cmd = new java.util.ArrayList<>(args.size() + 1);
            cmd.add(binary.path());
            cmd.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .redirectError(captureStderr ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.INHERIT);
            pb.environment().clear();
            Process p = pb.start();
            return new ExecutorProcess() {
                public long pid() { return p.pid(); }
                public OutputStream commands() { return p.getOutputStream(); }
                public InputStream messages() { return p.getInputStream(); }
                public InputStream errors() { return captureStderr ? p.getErrorStream() : null; }
                public int waitFor() throws InterruptedException { return p.waitFor(); }
                public int waitFor(long timeout, TimeUnit unit) throws InterruptedException {
                    return p.waitFor(timeout, unit) ? p.exitValue() : -1;
                }
                public void kill() { p.destroyForcibly(); }
            };
        };
    }
}
