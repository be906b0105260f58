package berth.runtime.cli;

import berth.runtime.Json;
import berth.runtime.RuntimeError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "ps", description = "List the processes of a container (ps(1) output, or pids as JSON).")
final class PsCommand implements Callable<Integer>, Main.WithId {
    @ParentCommand Main main;
    @Parameters(index = "0", paramLabel = "ID") String id;
    @Parameters(index = "1..*", paramLabel = "PS_OPTIONS") List<String> psArgs = new ArrayList<>();
    @Option(names = {"-f", "--format"}, description = "table or json") String format = "table";

    @Override
    public String id() {
        return id;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        List<Integer> pids = main.runtime().pids(id);
        if (format.equals("json")) {
            System.out.println(Json.write(pids, false));
            return 0;
        }
        List<String> cmd = new ArrayList<>(List.of("ps"));
        cmd.addAll(psArgs.isEmpty() ? List.of("-ef") : psArgs);
        Process ps = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String[] lines = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n");
        if (ps.waitFor() != 0 || lines.length == 0) throw new RuntimeError("ps " + String.join(" ", cmd) + " failed");
        int col = Arrays.asList(lines[0].trim().split("\\s+")).indexOf("PID");
        if (col < 0) throw new RuntimeError("ps output has no PID column");
        System.out.println(lines[0]);
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].trim().split("\\s+");
            if (f.length > col && pids.contains(Integer.parseInt(f[col]))) System.out.println(lines[i]);
        }
        return 0;
    }
}
