package berth.runtime.cli;

/** One verb of the command line. */
interface Verb {
    String name();

    /** One line for the command list. */
    String summary();

    /** The argument synopsis, e.g. "[flags] ID". */
    String synopsis();

    Flags flags();

    /** Runs the verb; returns the exit status. {@code id} is set for error messages as soon as it is known. */
    int run(Main main, Flags.Parsed args);
}
