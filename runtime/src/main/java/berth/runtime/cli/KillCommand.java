package berth.runtime.cli;

import berth.runtime.RuntimeError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "kill", description = "Send a signal (default SIGTERM) to the container's init process.")
final class KillCommand implements Callable<Integer>, Main.WithId {
    private static final List<String> NAMES = List.of("", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE",
            "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN",
            "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS");

    @ParentCommand Main main;
    @Parameters(index = "0", paramLabel = "ID") String id;
    @Parameters(index = "1", paramLabel = "SIGNAL", defaultValue = "SIGTERM") String signal;
    @Option(names = {"-a", "--all"}, description = "signal every process of the container") boolean all;

    @Override
    public String id() {
        return id;
    }

    @Override
    public Integer call() {
        main.runtime().kill(id, parse(signal), all);
        return 0;
    }

    static int parse(String s) {
        String name = s.toUpperCase();
        if (name.startsWith("SIG")) name = name.substring(3);
        int i = NAMES.indexOf(name);
        if (i > 0) return i;
        if (name.startsWith("RTMIN")) {
            return 34 + (name.length() > 5 ? Integer.parseInt(name.substring(5).replace("+", "")) : 0);
        }
        try {
            int n = Integer.parseInt(s);
            if (n > 0 && n < 65) return n;
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new RuntimeError("unknown signal \"" + s + "\"");
    }
}
