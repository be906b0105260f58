package berth.runtime.cli;

import berth.runtime.Json;

import java.util.List;
import java.util.Map;

final class ListCommand {
    static final Verb VERB = new Verb("list", "List containers.", "[flags]",
            new Flags()
            .value("table or json", "format", "f")
            .bool("print only the ids", "quiet", "q"), ListCommand::run);

    private ListCommand() {}

    private static int run(Main main, Flags.Parsed a) {
        List<Map<String, Object>> states = main.runtime().list();
        if (a.is("quiet")) {
            states.forEach(s -> System.out.println(s.get("id")));
        } else if (a.get("format", "table").equals("json")) {
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
