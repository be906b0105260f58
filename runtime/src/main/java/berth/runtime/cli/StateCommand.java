package berth.runtime.cli;

import berth.runtime.Json;

final class StateCommand implements Verb {
    private static final Flags FLAGS = new Flags();

    @Override
    public String name() {
        return "state";
    }

    @Override
    public String summary() {
        return "Print the state of a container as JSON.";
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
        System.out.println(Json.write(main.runtime().state(main.id), true));
        return 0;
    }
}
