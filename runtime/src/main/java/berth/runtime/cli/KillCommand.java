package berth.runtime.cli;

final class KillCommand {
    static final Verb VERB = new Verb("kill", "Send a signal (default SIGTERM) to the container's init process.", "[flags] ID [SIGNAL]",
            new Flags()
            .bool("signal every process of the container", "all", "a"), KillCommand::run);

    private KillCommand() {}

    private static int run(Main main, Flags.Parsed a) {
        main.id = a.arg(0, "container id");
        int signal = Signals.parse(a.positionals().size() > 1 ? a.positionals().get(1) : "SIGTERM");
        main.runtime().kill(main.id, signal, a.is("all"));
        return 0;
    }
}
