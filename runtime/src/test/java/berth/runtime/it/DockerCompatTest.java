package berth.runtime.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * berth-runtime as dockerd's OCI runtime ({@code --add-runtime}), driven by the real docker CLI: dockerd and
 * containerd's runc shim call it with runc's flags (create with --pid-file and --console-socket, start,
 * state, kill, delete, exec --process --detach). The test runs its own dockerd on a private socket and
 * data root, without networking or iptables changes, and stops it afterwards.
 */
@Timeout(120)
class DockerCompatTest {
    private static final Path DOCKERD = Path.of("/usr/sbin/dockerd");
    private static final Path DOCKER = Path.of("/usr/bin/docker");
    private static final String IMAGE = "berth-it-busybox:local";
    /** dockerd's parent cgroup for its containers, removed with them afterwards. */
    private static final String CGROUP_PARENT = "/berth-it-docker-" + ProcessHandle.current().pid();

    private static Path work;
    private static Path socket;
    private static Process dockerd;

    @BeforeAll
    static void startDockerd() throws Exception {
        ItEnv.requirePreconditions();
        if (!Files.isExecutable(DOCKERD) || !Files.isExecutable(DOCKER)) {
            fail("this test needs dockerd and the docker CLI from Debian's docker.io package (.ci/run installs it)");
        }
        work = Files.createTempDirectory("berth-it-docker");
        socket = work.resolve("docker.sock");
        Files.writeString(work.resolve("daemon.json"), """
                {"runtimes": {"berth": {"path": "%s"}}, "iptables": false, "ip-forward": false,
                 "ip-masq": false, "bridge": "none", "storage-driver": "overlay2", "cgroup-parent": "%s"}
                """.formatted(ItEnv.BERTH_BINARY, CGROUP_PARENT));
        dockerd = new ProcessBuilder(DOCKERD.toString(), "--config-file", work.resolve("daemon.json").toString(),
                "--data-root", work.resolve("data").toString(), "--exec-root", work.resolve("exec").toString(),
                "--pidfile", work.resolve("docker.pid").toString(), "-H", "unix://" + socket)
                .redirectErrorStream(true).redirectOutput(work.resolve("dockerd.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (docker("version").exitCode() != 0) {
            if (System.nanoTime() > deadline || !dockerd.isAlive()) {
                fail("dockerd did not come up:\n" + Files.readString(work.resolve("dockerd.log")));
            }
            Thread.sleep(200);
        }
        Bundle.create(new OciRuntime(RuntimeKind.BERTH, work.resolve("state"), work), work.resolve("image"));
        Result imported = run(List.of("/bin/sh", "-c", "tar -C '" + work.resolve("image/rootfs") + "' -c . | '"
                + DOCKER + "' -H unix://" + socket + " import - " + IMAGE));
        assertEquals(0, imported.exitCode(), imported::toString);
    }

    @AfterAll
    static void stopDockerd() throws Exception {
        if (dockerd != null) {
            Result ids = docker("ps", "-aq");
            for (String id : ids.stdout().split("\\s+")) if (!id.isBlank()) docker("rm", "-f", id);
            dockerd.destroy();
            if (!dockerd.waitFor(30, TimeUnit.SECONDS)) {
                dockerd.destroyForcibly();
                dockerd.waitFor(10, TimeUnit.SECONDS);
            }
        }
        // dockerd removes its containers' cgroups but leaves their parent behind in every hierarchy
        run(List.of("/bin/sh", "-c", "for d in /sys/fs/cgroup" + CGROUP_PARENT + " /sys/fs/cgroup/*" + CGROUP_PARENT
                + "; do [ -d \"$d\" ] && rmdir \"$d\"; done; true"));
        if (work != null) {
            // overlay2 leaves nothing mounted once dockerd stops cleanly; unmount defensively anyway
            run(List.of("/bin/sh", "-c", "grep -o ' " + work + "[^ ]*' /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l"));
            try (Stream<Path> walk = Files.walk(work)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            } catch (IOException e) {
                fail("cleanup of " + work + " failed: " + e);
            }
        }
    }

    @Test
    void runPrintsAndExitsWithTheContainersStatus() {
        Result r = docker("run", "--rm", "--runtime", "berth", "--network", "none", IMAGE,
                "sh", "-c", "echo hello from berth; hostname; exit 42");
        assertEquals(42, r.exitCode(), r::toString);
        assertTrue(r.stdout().startsWith("hello from berth\n"), r::toString);
    }

    @Test
    void dockersDefaultsHoldInside() {
        Result r = docker("run", "--rm", "--runtime", "berth", "--network", "none", IMAGE,
                "sh", "-c", "grep -E '^(CapEff|Seccomp):' /proc/self/status; cat /proc/sys/net/ipv4/ip_unprivileged_port_start;"
                        + " unshare -U true; echo unshare=$?");
        assertEquals(0, r.exitCode(), r::toString);
        // Docker's default capability set, its seccomp filter loaded, its sysctl written before /proc/sys
        // became read-only, and the filter refusing unshare
        assertTrue(r.stdout().contains("CapEff:\t00000000a80425fb"), r::toString);
        assertTrue(r.stdout().contains("Seccomp:\t2"), r::toString);
        assertTrue(r.stdout().contains("\n0\n"), r::toString);
        assertTrue(r.stdout().contains("unshare=1"), r::toString);
    }

    @Test
    void detachedContainerExecLogsAndStop() throws Exception {
        String name = "berth-it-" + ProcessHandle.current().pid();
        Result started = docker("run", "-d", "--name", name, "--runtime", "berth", "--network", "none", IMAGE,
                "sh", "-c", "trap 'echo got TERM; exit 3' TERM; echo started; while true; do sleep 0.1; done");
        assertEquals(0, started.exitCode(), started::toString);
        Result exec = docker("exec", "-e", "X=exec-env", name, "sh", "-c", "echo $X; exit 7");
        assertEquals(7, exec.exitCode(), exec::toString);
        assertEquals("exec-env", exec.out());
        Result user = docker("exec", "--user", "1000:1000", name, "id", "-u");
        assertEquals("1000", user.out(), user::toString);
        Result stop = docker("stop", "-t", "10", name);
        assertEquals(0, stop.exitCode(), stop::toString);
        Result code = docker("inspect", "-f", "{{.State.ExitCode}}", name);
        assertEquals("3", code.out(), code::toString);
        Result logs = docker("logs", name);
        assertTrue(logs.stdout().contains("started\n") && logs.stdout().contains("got TERM"), logs::toString);
        assertEquals(0, docker("rm", name).exitCode());
    }

    private static Result docker(String... args) {
        List<String> cmd = new ArrayList<>(List.of(DOCKER.toString(), "-H", "unix://" + socket));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    private static Result run(List<String> cmd) {
        return OciRuntime.Processes.run(cmd, work, "docker", Duration.ofSeconds(60));
    }
}
