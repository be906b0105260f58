package berth.runtime.cli;

import berth.runtime.Json;
import berth.runtime.RuntimeError;

import java.util.LinkedHashMap;
import java.util.Map;

final class EventsCommand {
    static final Verb VERB = new Verb("events",
            "Print resource usage as JSON: once with --stats, else every --interval, with OOM events, until the container stops.",
            "[flags] ID",
            new Flags().bool("print the figures once and exit", "stats")
                    .value("seconds between figures (default 5; also accepts 5s)", "interval"),
            EventsCommand::run);

    private EventsCommand() {}

    private static int run(Main main, Flags.Parsed a) {
        main.id = a.arg(0, "container id");
        var rt = main.runtime();
        if (a.is("stats")) {
            System.out.println(Json.write(event("stats", main.id, rt.stats(main.id)), false));
            return 0;
        }
        long interval = parseInterval(a.get("interval", "5"));
        long ooms = rt.oomKills(main.id);
        long next = 0;
        while (!rt.state(main.id).get("status").equals("stopped")) {
            long kills = rt.oomKills(main.id);
            if (kills > ooms) System.out.println(Json.write(event("oom", main.id, null), false));
            ooms = kills;
            if (System.currentTimeMillis() >= next) {
                System.out.println(Json.write(event("stats", main.id, rt.stats(main.id)), false));
                next = System.currentTimeMillis() + interval;
            }
            System.out.flush();
            try {
                Thread.sleep(Math.min(interval, 200));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 130;
            }
        }
        return 0;
    }

    private static Map<String, Object> event(String type, String id, Object data) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", type);
        e.put("id", id);
        if (data != null) e.put("data", data);
        return e;
    }

    private static long parseInterval(String s) {
        try {
            String n = s.endsWith("ms") ? s.substring(0, s.length() - 2) : s.endsWith("s") ? s.substring(0, s.length() - 1) : s;
            long v = Long.parseLong(n);
            return s.endsWith("ms") ? v : v * 1000;
        } catch (NumberFormatException e) {
            throw new RuntimeError("--interval " + s + ": expected seconds, e.g. 5 or 5s");
        }
    }
}
