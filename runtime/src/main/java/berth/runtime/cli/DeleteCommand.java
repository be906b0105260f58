package berth.runtime.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "delete", description = "Delete a stopped container and everything the runtime kept for it.")
final class DeleteCommand implements Callable<Integer>, Main.WithId {
    @ParentCommand Main main;
    @Parameters(index = "0", paramLabel = "ID") String id;
    @Option(names = {"-f", "--force"}, description = "kill the container first if it is running") boolean force;

    @Override
    public String id() {
        return id;
    }

    @Override
    public Integer call() {
        main.runtime().delete(id, force);
        return 0;
    }
}
