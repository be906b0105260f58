package berth.engine;

import java.util.Locale;
import java.util.Map;

/** Signal names as Docker accepts them: {@code SIGTERM}, {@code TERM}, {@code 15}, {@code SIGRTMIN+3}. */
public final class Signals {
    public static final int SIGTERM = 15;
    private static final Map<String, Integer> NUMBERS = Map.ofEntries(
            Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4), Map.entry("TRAP", 5),
            Map.entry("ABRT", 6), Map.entry("IOT", 6), Map.entry("BUS", 7), Map.entry("FPE", 8), Map.entry("KILL", 9),
            Map.entry("USR1", 10), Map.entry("SEGV", 11), Map.entry("USR2", 12), Map.entry("PIPE", 13), Map.entry("ALRM", 14),
            Map.entry("TERM", 15), Map.entry("STKFLT", 16), Map.entry("CHLD", 17), Map.entry("CONT", 18), Map.entry("STOP", 19),
            Map.entry("TSTP", 20), Map.entry("TTIN", 21), Map.entry("TTOU", 22), Map.entry("URG", 23), Map.entry("XCPU", 24),
            Map.entry("XFSZ", 25), Map.entry("VTALRM", 26), Map.entry("PROF", 27), Map.entry("WINCH", 28), Map.entry("IO", 29),
            Map.entry("POLL", 29), Map.entry("PWR", 30), Map.entry("SYS", 31));
    private static final int SIGRTMIN = 34, SIGRTMAX = 64;

    private Signals() {}

    /** The signal's number, or a 400 naming the bad value. */
    public static int parse(String s) {
        String t = s.strip().toUpperCase(Locale.ROOT);
        try {
            int n = Integer.parseInt(t);
            if (n >= 1 && n <= SIGRTMAX) return n;
        } catch (NumberFormatException e) {
            if (t.startsWith("SIG")) t = t.substring(3);
            Integer n = NUMBERS.get(t);
            if (n != null) return n;
            try {
                if (t.startsWith("RTMIN+")) return check(SIGRTMIN + Integer.parseInt(t.substring(6)), s);
                if (t.startsWith("RTMAX-")) return check(SIGRTMAX - Integer.parseInt(t.substring(6)), s);
                if (t.equals("RTMIN")) return SIGRTMIN;
                if (t.equals("RTMAX")) return SIGRTMAX;
            } catch (NumberFormatException ignored) {
                // falls through to the error
            }
        }
        throw new EngineException.Invalid("Invalid signal: " + s);
    }

    private static int check(int n, String s) {
        if (n < SIGRTMIN || n > SIGRTMAX) throw new EngineException.Invalid("Invalid signal: " + s);
        return n;
    }
}
