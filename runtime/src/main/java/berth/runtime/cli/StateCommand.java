package berth.runtime.cli;

import berth.runtime.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "state", description = "Print the state of a container as JSON.")
final class StateCommand implements Callable<Integer>, Main.WithId {
    @ParentCommand Main main;
    @Parameters(index = "0", paramLabel = "ID") String id;

    @Override
    public String id() {
        return id;
    }

    @Override
    public Integer call() {
        System.out.println(Json.write(main.runtime().state(id), true));
        return 0;
    }
}
