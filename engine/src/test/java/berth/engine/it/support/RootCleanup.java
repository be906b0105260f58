package berth.engine.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import berth.engine.Engine;
import berth.image.snapshot.Tree;
import berth.network.Network;
import berth.network.Networks;
import berth.runtime.ContainerRuntime;
import berth.sys.LinuxSyscalls;
import berth.sys.MountInfo;
import berth.sys.Syscalls;

/**
 * Removes what a stopped berth daemon left on the host for its root, whether the daemon removed its objects
 * first or crashed: containers (the runtime's forced delete: processes killed, cgroups removed), their
 * monitors, the networks with their bridges and iptables chains (through {@link Networks} over the same
 * root, so only this root's), mounts below the directory, and the directory. It then checks the host for
 * anything still named after the root's network prefix (a bridge or a chain), which would take an address
 * pool or a rule from every later test; that and every other step's failure are reported together.
 */
public final class RootCleanup {
    private static final int MNT_DETACH = 2;
    private final Path dir;
    private final Path root;
    private final Syscalls sys = new LinuxSyscalls();
    private final List<String> problems = new ArrayList<>();

    /** {@code dir} holds the daemon's {@code root} (and its socket and log); all of it goes. */
    public RootCleanup(Path dir, Path root) {
        this.dir = dir.toAbsolutePath().normalize();
        this.root = root.toAbsolutePath().normalize();
    }

    /** Runs every step even when one fails; throws one error listing what could not be cleaned. */
    public void run() throws IOException, InterruptedException {
        step("containers", this::removeContainers);
        step("container monitors", this::killMonitors);
        step("networks", this::removeNetworks);
        step("mounts", this::unmount);
        step("directory " + dir, () -> Tree.delete(dir));
        step("leftovers", this::checkHost);
        if (!problems.isEmpty()) throw new AssertionError("cleaning up after the berth daemon of " + root + ":\n" + String.join("\n", problems));
    }

    private interface Step {
        void run() throws Exception;
    }

    private void step(String what, Step step) {
        try {
            step.run();
        } catch (Exception | AssertionError e) {
            problems.add(what + ": " + e);
        }
    }

    private void removeContainers() {
        if (!Files.isDirectory(root.resolve("runtime"))) return;
        ContainerRuntime runtime = Engine.runtime(sys, root, problems::add);
        for (Map<String, Object> state : runtime.list()) {
            String id = String.valueOf(state.get("id"));
            if (!"stopped".equals(state.get("status"))) problems.add("container " + id + " was left " + state.get("status") + "; killed it");
            runtime.delete(id, true);
        }
    }

    /** A monitor (the executor) names its container's directory under the root on its command line. */
    private void killMonitors() throws InterruptedException {
        String marker = root + "/containers/";
        List<ProcessHandle> monitors = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false)).toList();
        for (ProcessHandle m : monitors) {
            problems.add("container monitor left running, killed: " + m.info().commandLine().orElse("pid " + m.pid()));
            m.destroyForcibly();
        }
        for (ProcessHandle m : monitors) {
            m.onExit().join();
        }
    }

    private void removeNetworks() throws IOException {
        if (!Files.isDirectory(root.resolve("networks"))) return;
        Networks networks = new Networks(root, null, null);
        Path containers = root.resolve("containers");
        if (Files.isDirectory(containers)) {
            try (Stream<Path> ids = Files.list(containers)) {
                for (Path id : ids.toList()) networks.detachAll(id.getFileName().toString());
            }
        }
        for (Network n : networks.list()) networks.remove(n.id());
    }

    private void unmount() throws IOException {
        for (String m : mountsBelow()) sys.umount(m, MNT_DETACH);
        List<String> left = mountsBelow();
        if (!left.isEmpty()) throw new IOException("still mounted below " + dir + ": " + left);
    }

    /** Mount points strictly below {@code dir}, deepest first. */
    private List<String> mountsBelow() {
        String prefix = dir + "/";
        List<String> found = new ArrayList<>(MountInfo.mountPoints().stream().filter(p -> p.startsWith(prefix)).toList());
        found.sort(Comparator.comparingInt(String::length).reversed());
        return found;
    }

    /** Bridges are named {@code <prefix>-<network>}, chains {@code BERTH-...-<prefix>}: none may remain. */
    private void checkHost() throws IOException, InterruptedException {
        String prefix = Networks.derivePrefix(root);
        List<String> left = new ArrayList<>();
        for (String line : Command.run(List.of("ip", "-o", "link", "show"), Map.of(), java.time.Duration.ofSeconds(10)).ok().out().lines().toList()) {
            String[] f = line.split(":\\s+", 3);
            if (f.length > 1 && f[1].startsWith(prefix + "-")) left.add("link " + f[1].split("@")[0]);
        }
        for (String table : List.of("filter", "nat")) {
            String rules = Command.run(List.of("iptables", "-w", "-t", table, "-S"), Map.of(), java.time.Duration.ofSeconds(10)).ok().out();
            rules.lines().filter(l -> l.matches("-N BERTH\\S*-" + prefix)).forEach(l -> left.add(table + " chain " + l.substring(3)));
        }
        if (!left.isEmpty()) throw new AssertionError("left on the host: " + left);
    }
}
