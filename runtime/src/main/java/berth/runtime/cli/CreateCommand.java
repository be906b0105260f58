package berth.runtime.cli;

import berth.runtime.ContainerRuntime.CreateOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "create", description = "Create a container; its process waits for start.")
final class CreateCommand implements Callable<Integer>, Main.WithId {
    @ParentCommand Main main;
    @Parameters(index = "0", paramLabel = "ID") String id;
    @Option(names = {"-b", "--bundle"}, description = "bundle directory (default: current directory)") Path bundle = Path.of(".");
    @Option(names = "--pid-file", description = "write the container's pid here") Path pidFile;
    @Option(names = "--console-socket", description = "unix socket to receive the pty master") String consoleSocket;
    @Option(names = "--no-pivot", description = "use chroot instead of pivot_root") boolean noPivot;
    @Option(names = "--preserve-fds", description = "pass this many extra descriptors (from 3)") int preserveFds;
    @Option(names = "--no-new-keyring", hidden = true) boolean noNewKeyring;

    @Override
    public String id() {
        return id;
    }

    @Override
    public Integer call() {
        main.runtime().create(id, bundle, new CreateOptions(pidFile, consoleSocket, noPivot, preserveFds));
        return 0;
    }
}
