package berth.runtime.cli;

import java.util.List;

/** Signal names and numbers (x86_64), accepted as "KILL", "SIGKILL", "9" or "RTMIN+3". */
final class Signals {
    private static final List<String> NAMES = List.of("", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE",
            "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN",
            "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS");
    private static final int SIGRTMIN = 34, SIGRTMAX = 64;

    private Signals() {}

    static int parse(String s) {
        String name = s.toUpperCase();
        if (name.startsWith("SIG")) name = name.substring(3);
        int i = NAMES.indexOf(name);
        if (i > 0) return i;
        try {
            if (name.startsWith("RTMIN")) return check(SIGRTMIN + offset(name.substring(5)), s);
            if (name.startsWith("RTMAX")) return check(SIGRTMAX + offset(name.substring(5)), s);
            return check(Integer.parseInt(s), s);
        } catch (NumberFormatException e) {
            throw new UsageException("unknown signal \"" + s + "\"");
        }
    }

    private static int offset(String rest) {
        return rest.isEmpty() ? 0 : Integer.parseInt(rest.startsWith("+") ? rest.substring(1) : rest);
    }

    private static int check(int n, String s) {
        if (n < 1 || n > SIGRTMAX) throw new UsageException("unknown signal \"" + s + "\"");
        return n;
    }
}
