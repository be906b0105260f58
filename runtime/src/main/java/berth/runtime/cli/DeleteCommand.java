package berth.runtime.cli;

final class DeleteCommand {
    static final Verb VERB = new Verb("delete", "Delete a container and everything the runtime kept for it.", "[flags] ID",
            new Flags()
            .bool("kill the container first if it runs", "force", "f"), DeleteCommand::run);

    private DeleteCommand() {}

    private static int run(Main main, Flags.Parsed a) {
        main.id = a.arg(0, "container id");
        main.runtime().delete(main.id, a.is("force"));
        return 0;
    }
}
