package berth.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** The {@code [y/N]} question prune commands ask before removing anything (skipped by {@code -f}). */
final class Prompt {
    private Prompt() {}

    static boolean confirm(Main m, String warning) throws IOException {
        m.out.print(warning + "\nAre you sure you want to continue? [y/N] ");
        m.out.flush();
        String answer = new BufferedReader(new InputStreamReader(m.in, StandardCharsets.UTF_8)).readLine();
        return answer != null && answer.strip().equalsIgnoreCase("y");
    }
}
