package berth.runtime.cli;


final class KillCommand implements Verb {
    private static final Flags FLAGS = new Flags()
            .bool("signal every process of the container", "all", "a");

    @Override
    public String name() {
        return "kill";
    }

    @Override
    public String summary() {
        return "Send a signal (default SIGTERM) to the container's init process.";
    }

    @Override
    public String synopsis() {
        return "[flags] ID [SIGNAL]";
    }

    @Override
    public Flags flags() {
        return FLAGS;
    }

    @Override
    public int run(Main main, Flags.Parsed a) {
        main.id = a.arg(0, "container id");
        int signal = Signals.parse(a.positionals().size() > 1 ? a.positionals().get(1) : "SIGTERM");
        main.runtime().kill(main.id, signal, a.is("all"));
        return 0;
    }
}
