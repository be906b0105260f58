package berth.runtime.cli;


final class StartCommand implements Verb {
    private static final Flags FLAGS = new Flags();

    @Override
    public String name() {
        return "start";
    }

    @Override
    public String summary() {
        return "Start a created container: its process runs the user program.";
    }

    @Override
    public String synopsis() {
        return "ID";
    }

    @Override
    public Flags flags() {
        return FLAGS;
    }

    @Override
    public int run(Main main, Flags.Parsed a) {
        main.id = a.arg(0, "container id");
        main.runtime().start(main.id);
        return 0;
    }
}
