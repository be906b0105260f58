package berth.runtime.cli;

/**
 * One verb of the command line: its name, one line for the command list, the argument synopsis, its
 * flags, and what it does (returning the exit status).
 */
record Verb(String name, String summary, String synopsis, Flags flags, Action action) {
    interface Action {
        int run(Main main, Flags.Parsed args);
    }
}
