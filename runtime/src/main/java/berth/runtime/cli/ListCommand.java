package berth.runtime.cli;

import berth.runtime.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "list", aliases = "ls", description = "List containers.")
final class ListCommand implements Callable<Integer> {
    @ParentCommand Main main;
    @Option(names = {"-f", "--format"}, description = "table or json") String format = "table";
    @Option(names = {"-q", "--quiet"}, description = "only ids") boolean quiet;

    @Override
    public Integer call() {
        List<Map<String, Object>> states = main.runtime().list();
        if (quiet) {
            states.forEach(s -> System.out.println(s.get("id")));
        } else if (format.equals("json")) {
            System.out.println(Json.write(states, false));
        } else {
            String fmt = "%-12s %-10s %-10s %-40s %-32s %s%n";
            System.out.printf(fmt, "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER");
            for (var s : states) {
                System.out.printf(fmt, s.get("id"), s.get("pid"), s.get("status"), s.get("bundle"), s.get("created"), s.get("owner"));
            }
        }
        return 0;
    }
}
