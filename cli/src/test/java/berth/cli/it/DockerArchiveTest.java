package berth.cli.it;

import berth.image.snapshot.Tree;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code berth save} read by {@code docker load}, and {@code docker save} read by {@code berth load}, with a
 * real dockerd (Debian's docker.io) on a private socket and data root: the image ID survives both ways.
 */
class DockerArchiveTest {
    private static Path work;
    private static Process dockerd;
    private static Path socket;

    @BeforeAll
    static void startDockerd() throws Exception {
        if (!Files.isExecutable(Path.of("/usr/sbin/dockerd")) || !Files.isExecutable(Path.of("/usr/bin/docker"))) {
            fail("this test needs dockerd and the docker CLI from Debian's docker.io package (.ci/run installs it)");
        }
        work = Files.createTempDirectory("berth-docker-archive-");
        socket = work.resolve("docker.sock");
        String ns = "berth-archive-" + ProcessHandle.current().pid();
        dockerd = new ProcessBuilder("/usr/sbin/dockerd", "--data-root", work.resolve("data").toString(),
                "--exec-root", work.resolve("exec").toString(), "--pidfile", work.resolve("docker.pid").toString(),
                "-H", "unix://" + socket, "--bridge", "none", "--iptables=false", "--ip6tables=false",
                "--containerd-namespace", ns, "--containerd-plugins-namespace", ns + "-plugins")
                .redirectErrorStream(true).redirectOutput(work.resolve("dockerd.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (docker("version").status != 0) {
            if (System.nanoTime() > deadline || !dockerd.isAlive()) {
                fail("dockerd did not come up:\n" + Files.readString(work.resolve("dockerd.log")));
            }
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void stopDockerd() throws Exception {
        if (dockerd != null) {
            dockerd.destroy();
            if (!dockerd.waitFor(30, TimeUnit.SECONDS)) {
                dockerd.destroyForcibly();
                dockerd.waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (work != null) {
            new ProcessBuilder("umount", "-R", work.resolve("data").toString()).start().waitFor();
            Tree.delete(work);
        }
    }

    private record Run(int status, String out) {}

    private static Run docker(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/docker", "-H", "unix://" + socket));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }

    @Test
    void archivesCrossBetweenBerthAndDocker() throws Exception {
        Berth berth = new Berth(work.resolve("berth-a"), work.resolve("cfg"));
        String id = berth.run("import", "-c", "CMD [\"/bin/sh\"]", ImageCliTest.busyboxTar(work).toString(), "crossing:1")
                .ok().out().strip();
        Path fromBerth = work.resolve("from-berth.tar");
        berth.run("save", "-o", fromBerth.toString(), "crossing:1").ok();

        Run load = docker("load", "-i", fromBerth.toString());
        assertEquals(0, load.status, load.out);
        assertTrue(load.out.contains("Loaded image: crossing:1"), load.out);
        assertEquals(id, docker("image", "inspect", "--format", "{{.Id}}", "crossing:1").out.strip());

        Path fromDocker = work.resolve("from-docker.tar");
        Run save = docker("save", "-o", fromDocker.toString(), "crossing:1");
        assertEquals(0, save.status, save.out);
        Berth other = new Berth(work.resolve("berth-b"), work.resolve("cfg"));
        assertEquals("Loaded image: crossing:1\n", other.run("load", "-q", "-i", fromDocker.toString()).ok().out());
        assertEquals(id, other.run("images", "-q", "--no-trunc").ok().out().strip());
    }
}
