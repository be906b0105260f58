package berth.engine.spec;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Linux signal names and numbers, parsed as moby's {@code signal.ParseSignal} does ("TERM", "SIGTERM", "15"). */
public final class Signals {
    private static final int SIGRTMIN = 34, SIGRTMAX = 64;
    private static final Map<String, Integer> BY_NAME = new LinkedHashMap<>();

    static {
        String[] names = {"HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2",
                "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ",
                "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"};
        for (int i = 0; i < names.length; i++) BY_NAME.put(names[i], i + 1);
        BY_NAME.put("IOT", 6);
        BY_NAME.put("CLD", 17);
        BY_NAME.put("POLL", 29);
        BY_NAME.put("RTMIN", SIGRTMIN);
        for (int i = 1; i <= 15; i++) BY_NAME.put("RTMIN+" + i, SIGRTMIN + i);
        for (int i = 14; i >= 1; i--) BY_NAME.put("RTMAX-" + i, SIGRTMAX - i);
        BY_NAME.put("RTMAX", SIGRTMAX);
    }

    private Signals() {}

    /**
     * The signal's number.
     *
     * @throws IllegalArgumentException "Invalid signal: X" for an unknown name or 0
     */
    public static int parse(String signal) {
        try {
            int n = Integer.parseInt(signal);
            if (n == 0) throw invalid(signal);
            return n;
        } catch (NumberFormatException notANumber) {
            String name = signal.toUpperCase(Locale.ROOT);
            Integer n = BY_NAME.get(name.startsWith("SIG") ? name.substring(3) : name);
            if (n == null) throw invalid(signal);
            return n;
        }
    }

    private static IllegalArgumentException invalid(String signal) {
        return new IllegalArgumentException("Invalid signal: " + signal);
    }
}
