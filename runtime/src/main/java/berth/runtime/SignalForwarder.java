package berth.runtime;

import berth.sys.SysException;
import berth.sys.Syscalls;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Forwards the signals a foreground runtime receives to the executor that monitors the container, which
 * passes them on to it (as runc forwards to its container); SIGWINCH resizes our console instead.
 */
final class SignalForwarder implements AutoCloseable {
    private static final List<String> FORWARDED = List.of("INT", "TERM", "HUP", "USR1", "USR2", "QUIT", "WINCH");
    private final Map<Signal, SignalHandler> previous = new HashMap<>();

    SignalForwarder(Syscalls sys, int executorPid, Console console) {
        for (String name : FORWARDED) {
            try {
                Signal sig = new Signal(name);
                previous.put(sig, Signal.handle(sig, s -> {
                    if (s.getName().equals("WINCH")) {
                        if (console != null) console.resize();
                        return;
                    }
                    try {
                        sys.kill(executorPid, s.getNumber());
                    } catch (SysException ignored) {
                        // the container is already gone
                    }
                }));
            } catch (IllegalArgumentException ignored) {
                // the JVM reserves this signal; it cannot be forwarded
            }
        }
    }

    @Override
    public void close() {
        previous.forEach(Signal::handle);
    }
}
