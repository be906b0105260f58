package berth.runtime.cli;

import berth.runtime.ExecutorBinary;
import berth.runtime.ExecutorProcess;
import berth.runtime.Json;
import berth.runtime.Launcher;
import berth.runtime.Procfs;
import berth.runtime.plan.Monitor;
import berth.runtime.plan.PlanCompiler;
import berth.runtime.seccomp.DockerSeccompProfile;
import berth.runtime.seccomp.SeccompCompiler;
import berth.runtime.spec.Spec;
import berth.runtime.spec.SpecParser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The workload the build runs once to train the JVM's AOT cache (see bin/berth-runtime): it goes through
 * the code of a real create/run without needing root or a bundle: argument parsing, spec parsing and
 * validation, plan compilation with a seccomp filter, JSON output, and the executor started on a plan
 * that only executes /bin/true.
 */
final class Training {
    private Training() {}

    /**
     * With root and Debian's static busybox (as in CI and after bin/quickstart), one real container run:
     * cgroups, the executor's whole protocol, signal forwarding and cleanup get into the cache too.
     * Without them, or if the run fails, training goes on with what it has.
     */
    private static void runAContainer(Path tmp) throws Exception {
        Path busybox = Path.of("/bin/busybox");
        if (!Files.isExecutable(busybox) || !"0".equals(uid())) return;
        Path bundle = tmp.resolve("bundle"), bin = bundle.resolve("rootfs/bin");
        Files.createDirectories(bin);
        Files.copy(busybox, bin.resolve("busybox"));
        Map<String, Object> json = DefaultSpec.build(false);
        @SuppressWarnings("unchecked")
        Map<String, Object> process = (Map<String, Object>) json.get("process");
        process.put("terminal", false);
        process.put("args", List.of("/bin/busybox", "true"));
        Files.writeString(bundle.resolve("config.json"), Json.write(json, false));
        int status = new Main().execute("--root", tmp.resolve("state").toString(), "run", "--bundle", bundle.toString(),
                "berth-aot-training-" + ProcessHandle.current().pid());
        System.out.println("training container exited with " + status);
    }

    private static String uid() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) return line.split("\\s+")[2];
        }
        return "?";
    }

    public static void main(String[] args) throws Exception {
        new Main().execute("--version");
        new Main().execute("features");
        Path tmp = Files.createTempDirectory("berth-aot");
        try {
            new Main().execute("spec", "--bundle", tmp.toString());
            Files.createDirectories(tmp.resolve("rootfs"));
            Map<String, Object> json = Json.read(tmp.resolve("config.json"));
            @SuppressWarnings("unchecked")
            Map<String, Object> linux = (Map<String, Object>) json.get("linux");
            linux.put("seccomp", DockerSeccompProfile.defaultOci(java.util.Set.of("CAP_CHOWN", "CAP_KILL")));
            Spec spec = SpecParser.parse(json);
            var compiler = new PlanCompiler(SeccompCompiler::new);
            compiler.create(spec, new PlanCompiler.CreateContext(tmp.resolve("rootfs"), tmp, tmp.resolve("fifo"), tmp.resolve("console.sock").toString(), 3,
                    false, false, Monitor.FOREGROUND, Map.of("cpu", tmp.resolve("cgroup")), Procfs.hostFacts())).encode();
            var launcher = new Launcher(ExecutorProcess.jdk(new ExecutorBinary()), pid -> { });
            var hook = new Spec.Hook("/bin/true", List.of("true"), List.of(), null);
            var p = launcher.exec(compiler.hook(hook, Map.of()), Map.of(1, "2"), "{}".getBytes());
            p.errors().readAllBytes();
            p.waitFor();
            new berth.sys.LinuxSyscalls().writeFile("/proc/self/oom_score_adj", "0");
            System.out.println(Json.write(Map.of("trained", true), true));
            new Main().execute("--root", tmp.resolve("state").toString(), "list");
            new Main().execute("--root", tmp.resolve("state").toString(), "state", "none");
            runAContainer(tmp);
        } finally {
            try (var walk = Files.walk(tmp)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
