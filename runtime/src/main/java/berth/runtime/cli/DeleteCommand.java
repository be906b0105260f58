package berth.runtime.cli;


final class DeleteCommand implements Verb {
    private static final Flags FLAGS = new Flags()
            .bool("kill the container first if it runs", "force", "f");

    @Override
    public String name() {
        return "delete";
    }

    @Override
    public String summary() {
        return "Delete a container and everything the runtime kept for it.";
    }

    @Override
    public String synopsis() {
        return "[flags] ID";
    }

    @Override
    public Flags flags() {
        return FLAGS;
    }

    @Override
    public int run(Main main, Flags.Parsed a) {
        main.id = a.arg(0, "container id");
        main.runtime().delete(main.id, a.is("force"));
        return 0;
    }
}
