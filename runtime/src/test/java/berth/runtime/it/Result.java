package berth.runtime.it;

import java.time.Duration;
import java.util.List;

/** What one invocation of a runtime (or helper) produced. */
public record Result(List<String> command, int exitCode, String stdout, String stderr, Duration elapsed) {

    public boolean ok() {
        return exitCode == 0;
    }

    /** Non-empty lines of stderr. */
    public List<String> stderrLines() {
        return stderr.lines().filter(l -> !l.isBlank()).toList();
    }

    public String out() {
        return stdout.strip();
    }

    /** A description for assertion messages. */
    @Override
    public String toString() {
        return String.join(" ", command) + "\n  exit " + exitCode + " after " + elapsed.toMillis() + " ms"
                + "\n  stdout: " + indent(stdout) + "\n  stderr: " + indent(stderr);
    }

    private static String indent(String s) {
        String t = s.strip();
        return t.isEmpty() ? "(empty)" : t.replace("\n", "\n          ");
    }
}
