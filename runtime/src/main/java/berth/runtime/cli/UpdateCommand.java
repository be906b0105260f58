package berth.runtime.cli;

import berth.runtime.Json;
import berth.runtime.RuntimeError;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

final class UpdateCommand {
    static final Verb VERB = new Verb("update", "Change the resource limits of a running container.", "[flags] ID",
            new Flags()
                    .value("a JSON file with linux.resources (- for stdin)", "resources", "r")
                    .value("CPU CFS period (µs)", "cpu-period")
                    .value("CPU CFS quota (µs)", "cpu-quota")
                    .value("CPU shares (relative weight)", "cpu-share")
                    .value("CPUs the container may use", "cpuset-cpus")
                    .value("memory nodes the container may use", "cpuset-mems")
                    .value("memory limit in bytes", "memory")
                    .value("memory soft limit in bytes", "memory-reservation")
                    .value("memory plus swap limit in bytes (-1: unlimited)", "memory-swap")
                    .value("maximum number of processes", "pids-limit")
                    .value("block IO weight (10-1000)", "blkio-weight")
                    .value(null, "kernel-memory")
                    .value(null, "kernel-memory-tcp")
                    .value(null, "l3-cache-schema")
                    .value(null, "mem-bw-schema"),
            UpdateCommand::run);

    private UpdateCommand() {}

    private static int run(Main main, Flags.Parsed a) {
        main.id = a.arg(0, "container id");
        Map<String, Object> resources;
        String file = a.get("resources");
        if (file != null) {
            try {
                byte[] json = file.equals("-") ? System.in.readAllBytes() : java.nio.file.Files.readAllBytes(Path.of(file));
                resources = Json.parse(json, file.equals("-") ? "stdin" : file);
            } catch (IOException e) {
                throw new RuntimeError("read " + file + ": " + e.getMessage(), e);
            }
        } else {
            resources = fromFlags(a);
        }
        main.runtime().update(main.id, resources);
        return 0;
    }

    private static Map<String, Object> fromFlags(Flags.Parsed a) {
        Map<String, Object> cpu = new LinkedHashMap<>(), memory = new LinkedHashMap<>(), out = new LinkedHashMap<>();
        put(cpu, "period", a, "cpu-period");
        put(cpu, "quota", a, "cpu-quota");
        put(cpu, "shares", a, "cpu-share");
        if (a.get("cpuset-cpus") != null) cpu.put("cpus", a.get("cpuset-cpus"));
        if (a.get("cpuset-mems") != null) cpu.put("mems", a.get("cpuset-mems"));
        put(memory, "limit", a, "memory");
        put(memory, "reservation", a, "memory-reservation");
        put(memory, "swap", a, "memory-swap");
        if (!cpu.isEmpty()) out.put("cpu", cpu);
        if (!memory.isEmpty()) out.put("memory", memory);
        Map<String, Object> pids = new LinkedHashMap<>();
        put(pids, "limit", a, "pids-limit");
        if (!pids.isEmpty()) out.put("pids", pids);
        Map<String, Object> blkio = new LinkedHashMap<>();
        put(blkio, "weight", a, "blkio-weight");
        if (!blkio.isEmpty()) out.put("blockIO", blkio);
        if (out.isEmpty()) throw new UsageException("update needs --resources or at least one limit flag");
        return out;
    }

    private static void put(Map<String, Object> m, String key, Flags.Parsed a, String flag) {
        String v = a.get(flag);
        if (v == null) return;
        try {
            m.put(key, Long.parseLong(v));
        } catch (NumberFormatException e) {
            throw new UsageException("--" + flag + ": expected a number, got \"" + v + "\"");
        }
    }
}
