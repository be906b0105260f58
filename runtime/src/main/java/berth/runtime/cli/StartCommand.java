package berth.runtime.cli;

final class StartCommand {
    static final Verb VERB = new Verb("start", "Start a created container: its process runs the user program.", "ID",
            new Flags(), StartCommand::run);

    private StartCommand() {}

    private static int run(Main main, Flags.Parsed a) {
        main.id = a.arg(0, "container id");
        main.runtime().start(main.id);
        return 0;
    }
}
