package berth.runtime.cli;

import berth.runtime.Json;

final class StateCommand {
    static final Verb VERB = new Verb("state", "Print the state of a container as JSON.", "ID",
            new Flags(), StateCommand::run);

    private StateCommand() {}

    private static int run(Main main, Flags.Parsed a) {
        main.id = a.arg(0, "container id");
        System.out.println(Json.write(main.runtime().state(main.id), true));
        return 0;
    }
}
