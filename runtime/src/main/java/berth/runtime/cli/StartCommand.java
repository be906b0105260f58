package berth.runtime.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "start", description = "Start a created container: its process runs the user's program.")
final class StartCommand implements Callable<Integer>, Main.WithId {
    @ParentCommand Main main;
    @Parameters(index = "0", paramLabel = "ID") String id;

    @Override
    public String id() {
        return id;
    }

    @Override
    public Integer call() {
        main.runtime().start(id);
        return 0;
    }
}
