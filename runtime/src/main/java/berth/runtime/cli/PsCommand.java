package berth.runtime.cli;

import berth.runtime.Json;
import berth.runtime.RuntimeError;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

final class PsCommand {
    static final Verb VERB = new Verb("ps", "List the processes of a container (ps(1) output, or pids as JSON).", "[flags] ID [PS_OPTIONS...]",
            new Flags()
            .value("table or json", "format", "f"), PsCommand::run);

    private PsCommand() {}

    private static int run(Main main, Flags.Parsed a) {
        main.id = a.arg(0, "container id");
        List<Integer> pids = main.runtime().pids(main.id);
        if (a.get("format", "table").equals("json")) {
            System.out.println(Json.write(pids, false));
            return 0;
        }
        List<String> cmd = new ArrayList<>(List.of("ps"));
        List<String> opts = a.positionals().subList(1, a.positionals().size());
        cmd.addAll(opts.isEmpty() ? List.of("-ef") : opts);
        String[] lines;
        try {
            Process ps = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            lines = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n");
            if (ps.waitFor() != 0 || lines.length == 0) throw new RuntimeError(String.join(" ", cmd) + " failed");
        } catch (IOException e) {
            throw new RuntimeError("run " + String.join(" ", cmd) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeError("interrupted");
        }
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
