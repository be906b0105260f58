package berth.cli.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code berth save} (from the {@link DaemonUnderTest}) read by {@code docker load} into a separate reference
 * dockerd, and {@code docker save} read by {@code berth load}: the image ID survives both ways.
 */
class DockerArchiveTest {
    private static final Path DOCKER = Path.of("/usr/bin/docker");
    private static DaemonUnderTest daemon;
    private static DaemonUnderTest reference;

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isExecutable(DOCKER)) fail("this test needs the docker CLI from Debian's docker.io package at " + DOCKER);
        daemon = DaemonUnderTest.start();
        reference = DaemonUnderTest.start("dockerd");
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (reference != null) reference.close();
        } finally {
            if (daemon != null) daemon.close();
        }
    }

    private record Run(int status, String out) {}

    private static Run docker(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(DOCKER.toString(), "-H", reference.host()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }

    @Test
    void archivesCrossBetweenBerthAndDocker() throws Exception {
        Path work = daemon.dir();
        Berth berth = new Berth(daemon, work.resolve("cfg"));
        String id = berth.run("import", "-c", "CMD [\"/bin/sh\"]", DaemonUnderTest.busyboxTar(work).toString(), "crossing:1")
                .ok().out().strip();
        Path fromBerth = work.resolve("from-berth.tar");
        berth.run("save", "-o", fromBerth.toString(), "crossing:1").ok();

        Run load = docker("load", "-i", fromBerth.toString());
        assertEquals(0, load.status, load.out);
        assertTrue(load.out.contains("Loaded image: crossing:1"), load.out);
        assertEquals(id, docker("image", "inspect", "--format", "{{.Id}}", "crossing:1").out.strip());

        docker("tag", "crossing:1", "crossing:2");
        Path fromDocker = work.resolve("from-docker.tar");
        Run save = docker("save", "-o", fromDocker.toString(), "crossing:2");
        assertEquals(0, save.status, save.out);
        assertEquals("Loaded image: crossing:2\n", berth.run("load", "-q", "-i", fromDocker.toString()).ok().out());
        assertEquals(id, berth.run("image", "inspect", "-f", "{{.Id}}", "crossing:2").ok().out().strip());
    }
}
