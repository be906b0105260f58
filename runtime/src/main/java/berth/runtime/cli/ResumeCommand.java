package berth.runtime.cli;

final class ResumeCommand {
    static final Verb VERB = new Verb("resume", "Thaw a paused container.", "ID", new Flags(), ResumeCommand::run);

    private ResumeCommand() {}

    private static int run(Main main, Flags.Parsed a) {
        main.id = a.arg(0, "container id");
        main.runtime().resume(main.id);
        return 0;
    }
}
