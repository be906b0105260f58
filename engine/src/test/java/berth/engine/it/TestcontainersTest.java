package berth.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.github.dockerjava.api.exception.NotFoundException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

import berth.engine.it.support.BerthClientProviderStrategy;
import berth.engine.it.support.TestDaemon;

/**
 * Testcontainers, unchanged, against a berth daemon: a GenericContainer of busybox with an exposed port that it
 * waits for, files copied in before and after start and read back over HTTP and as an archive, exec with its
 * streams and exit code, logs, and removal on stop. Ryuk is off (the failsafe configuration sets
 * TESTCONTAINERS_RYUK_DISABLED; its image cannot be pulled offline): each test stops its containers itself,
 * and the {@link TestDaemon} removes whatever is left.
 */
@Timeout(300)
class TestcontainersTest {
    private static final DockerImageName BUSYBOX = DockerImageName.parse("busybox:latest");
    private static final int HTTP_PORT = 80;

    @RegisterExtension
    static final TestDaemon berth = new TestDaemon();

    @BeforeAll
    static void pointTestcontainersAtBerth() throws Exception {
        berth.importBusybox(BUSYBOX.asCanonicalNameString());
        System.setProperty(BerthClientProviderStrategy.PROPERTY, berth.host());
        DockerClientFactory.instance().client();
        assertTrue(DockerClientFactory.instance().isUsing(BerthClientProviderStrategy.class),
                "Testcontainers chose another Docker (DOCKER_HOST or tc.host/docker.host in ~/.testcontainers.properties?)");
    }

    /** busybox httpd in the foreground, serving /www on port 80, logging requests to stderr. */
    private static GenericContainer<?> web() {
        return new GenericContainer<>(BUSYBOX)
                .withCommand("sh", "-c", "echo web starting; exec httpd -f -v -p " + HTTP_PORT + " -h /www")
                .withExposedPorts(HTTP_PORT)
                .waitingFor(Wait.forListeningPort());
    }

    private static String get(GenericContainer<?> c, String path) throws Exception {
        URI uri = URI.create("http://" + c.getHost() + ":" + c.getMappedPort(HTTP_PORT) + path);
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), "GET " + uri + ": " + r.body());
            return r.body();
        }
    }

    @Test
    void waitsForTheExposedPortAndServesAFileCopiedInBeforeStart() throws Exception {
        try (GenericContainer<?> c = web().withCopyToContainer(Transferable.of("copied before start\n"), "/www/index.html")) {
            c.start();
            assertTrue(c.isRunning());
            assertTrue(c.getMappedPort(HTTP_PORT) > 0);
            assertEquals("copied before start\n", get(c, "/index.html"));
        }
    }

    @Test
    void copiesIntoARunningContainerAndBack(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("page.txt"), "copied while running\n");
        try (GenericContainer<?> c = web().withCopyToContainer(Transferable.of("index\n"), "/www/index.html")) {
            c.start();
            c.copyFileToContainer(MountableFile.forHostPath(file), "/www/sub/page.txt");
            assertEquals("copied while running\n", get(c, "/sub/page.txt"));
            String back = c.copyFileFromContainer("/www/sub/page.txt", in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
            assertEquals("copied while running\n", back);
            assertThrows(NotFoundException.class, () -> c.copyFileFromContainer("/www/missing", in -> null));
        }
    }

    @Test
    void execRunsInTheContainerWithItsStreamsAndExitCode() throws Exception {
        try (GenericContainer<?> c = web().withCopyToContainer(Transferable.of("index\n"), "/www/index.html")) {
            c.start();
            Container.ExecResult cat = c.execInContainer("cat", "/www/index.html");
            assertEquals(0, cat.getExitCode(), cat.getStderr());
            assertEquals("index\n", cat.getStdout());
            Container.ExecResult failing = c.execInContainer("sh", "-c", "echo to-out; echo to-err >&2; exit 3");
            assertEquals(3, failing.getExitCode());
            assertEquals("to-out\n", failing.getStdout());
            assertEquals("to-err\n", failing.getStderr());
            Container.ExecResult made = c.execInContainer("sh", "-c", "echo made by exec > /www/made.txt");
            assertEquals(0, made.getExitCode(), made.getStderr());
            assertEquals("made by exec\n", get(c, "/made.txt"));
        }
    }

    @Test
    void logsFollowTheContainersStreamsAndStopRemovesIt() throws Exception {
        List<String> followed = new CopyOnWriteArrayList<>();
        String id;
        try (GenericContainer<?> c = web().withCopyToContainer(Transferable.of("index\n"), "/www/index.html")
                .withLogConsumer(frame -> followed.add(frame.getType() + " " + frame.getUtf8StringWithoutLineEnding()))) {
            c.start();
            id = c.getContainerId();
            get(c, "/index.html");
            assertTrue(c.getLogs(OutputFrame.OutputType.STDOUT).contains("web starting\n"), c.getLogs());
            awaitLog(c, "response:200");
            assertTrue(followed.contains("STDOUT web starting"), followed.toString());
        }
        String left = berth.docker("ps", "-aq", "--no-trunc", "--filter", "id=" + id).ok().out();
        assertEquals("", left.strip(), "the container is gone after stop");
    }

    /** httpd -v logs a request to stderr after answering it: wait a little for the line. */
    private static void awaitLog(GenericContainer<?> c, String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!c.getLogs(OutputFrame.OutputType.STDERR).contains(text)) {
            assertTrue(System.nanoTime() < deadline, "no \"" + text + "\" in the stderr log: " + c.getLogs());
            Thread.sleep(100);
        }
    }
}
