package berth.runtime.it;

import berth.runtime.ContainerRuntime;
import berth.runtime.ContainerRuntime.Monitored;
import berth.runtime.ExecutorBinary;
import berth.runtime.ExecutorProcess;
import berth.runtime.Launcher;
import berth.runtime.Procfs;
import berth.runtime.plan.PlanCompiler;
import berth.runtime.seccomp.SeccompCompiler;
import berth.sys.LinuxSyscalls;
import berth.sys.SysException;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A launcher that starts one container with a detached monitor and exits at once, as a daemon that goes
 * down would: {@link MonitoredTest} runs it in a JVM of its own to prove that the monitor outlives it.
 * Usage: {@code MonitoredStart STATE_ROOT ID BUNDLE STDOUT_FIFO STATUS_FILE}; prints the container's pid.
 * The executor binary comes from the system property {@code berth.executor}.
 */
public final class MonitoredStart {
    private MonitoredStart() {}

    public static void main(String[] args) {
        ContainerRuntime runtime = runtime(Path.of(args[0]), System.err::println);
        int pid = runtime.startMonitored(args[1], Path.of(args[2]),
                new Monitored(Map.of(1, Monitored.open("rw", Path.of(args[3]))), null, Path.of(args[4]))).pid();
        System.out.println(pid);
        System.exit(0);
    }

    /** The runtime as berth-runtime's Main wires it, over {@code root}. */
    static ContainerRuntime runtime(Path root, Consumer<String> warn) {
        var sys = new LinuxSyscalls();
        return new ContainerRuntime(sys, root, new Launcher(ExecutorProcess.jdk(new ExecutorBinary()), pid -> {
            try {
                sys.kill(pid, 9);
            } catch (SysException ignored) {
                // already gone
            }
        }), new PlanCompiler(SeccompCompiler::new), Procfs::hostFacts, null, warn);
    }
}
