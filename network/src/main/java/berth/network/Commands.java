package berth.network;

import java.util.List;

/**
 * Runs host tools ({@code ip}, {@code iptables}, {@code iptables-restore}, {@code iptables-save}): the seam
 * between the network layer and the host, so unit tests can record commands and answer them.
 */
interface Commands {

    record Result(int exitCode, String stdout, String stderr) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    /** Runs {@code argv} with {@code stdin} (may be null) and waits for it. */
    Result run(List<String> argv, String stdin);

    /** Runs {@code argv}; a non-zero exit becomes a NetworkException naming the command and its stderr. */
    default String check(String... argv) {
        return checkWithInput(null, argv);
    }

    default String checkWithInput(String stdin, String... argv) {
        Result r = run(List.of(argv), stdin);
        if (!r.ok()) {
            String why = (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip().replaceAll("\\s*\\R\\s*", " | ");
            throw new NetworkException(String.join(" ", argv) + ": " + (why.isEmpty() ? "exit status " + r.exitCode() : why));
        }
        return r.stdout();
    }
}
