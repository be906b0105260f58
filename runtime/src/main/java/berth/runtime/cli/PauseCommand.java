package berth.runtime.cli;

final class PauseCommand {
    static final Verb VERB = new Verb("pause", "Freeze every process of a container (cgroup freezer).", "ID",
            new Flags(), PauseCommand::run);

    private PauseCommand() {}

    private static int run(Main main, Flags.Parsed a) {
        main.id = a.arg(0, "container id");
        main.runtime().pause(main.id);
        return 0;
    }
}
