package berth.runtime.cli;

import berth.runtime.ContainerRuntime.CreateOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "run", description = "Create and start a container; without -d, wait for it and exit with its status.")
final class RunCommand implements Callable<Integer>, Main.WithId {
    @ParentCommand Main main;
    @Parameters(index = "0", paramLabel = "ID") String id;
    @Option(names = {"-b", "--bundle"}) Path bundle = Path.of(".");
    @Option(names = {"-d", "--detach"}) boolean detach;
    @Option(names = "--pid-file") Path pidFile;
    @Option(names = "--console-socket") String consoleSocket;
    @Option(names = "--no-pivot") boolean noPivot;
    @Option(names = "--preserve-fds") int preserveFds;
    @Option(names = "--keep", description = "do not delete the container after it exits") boolean keep;
    @Option(names = "--no-new-keyring", hidden = true) boolean noNewKeyring;
    @Option(names = "--no-subreaper", hidden = true) boolean noSubreaper;

    @Override
    public String id() {
        return id;
    }

    @Override
    public Integer call() {
        return main.runtime().run(id, bundle, new CreateOptions(pidFile, consoleSocket, noPivot, preserveFds), detach, keep);
    }
}
