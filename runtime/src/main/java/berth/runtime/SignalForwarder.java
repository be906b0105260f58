package berth.runtime;

import berth.sys.SysException;
import berth.sys.Syscalls;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Forwards the signals a foreground runtime receives to the container's process (as runc does). */
final class SignalForwarder implements AutoCloseable {
    private static final List<String> FORWARDED = List.of("INT", "TERM", "HUP", "USR1", "USR2", "QUIT", "WINCH");
    private final Map<Signal, SignalHandler> previous = new HashMap<>();

    SignalForwarder(Syscalls sys, int pid, Console console) {
        for (String name : FORWARDED) {
            try {
                Signal sig = new Signal(name);
                previous.put(sig, Signal.handle(sig, s -> {
                    if (s.getName().equals("WINCH")) {
                        if (console != null) console.resize();
                        return;
                    }
                    try {
                        sys.kill(pid, s.getNumber());
                    } catch (SysException ignored) {
                        // the process is already gone
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
