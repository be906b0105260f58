package berth.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import berth.engine.it.support.Command.Result;
import berth.engine.it.support.TestDaemon;

/**
 * The real {@code docker} CLI (Debian's 20.10 client, as CI installs it) against a private berth daemon:
 * each test drives one area of what users do with docker and checks what they would see. Needs root.
 */
@Timeout(90)
class DockerCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final TestDaemon daemon = new TestDaemon();

    private final List<String> containers = new ArrayList<>();
    private final List<String> volumes = new ArrayList<>();
    private final List<String> networks = new ArrayList<>();
    private final List<String> images = new ArrayList<>();

    @TempDir
    Path tmp;

    @BeforeAll
    static void importBusybox() throws Exception {
        daemon.importBusybox("busybox:latest");
    }

    @AfterEach
    void removeWhatTheTestMade() throws Exception {
        List<String> problems = new ArrayList<>();
        if (!containers.isEmpty()) remove(problems, List.of("rm", "-f", "-v"), containers);
        for (String n : networks) remove(problems, List.of("network", "rm"), List.of(n));
        if (!volumes.isEmpty()) remove(problems, List.of("volume", "rm", "-f"), volumes);
        if (!images.isEmpty()) remove(problems, List.of("rmi", "-f"), images);
        if (!problems.isEmpty()) fail("cleanup: " + String.join("; ", problems));
    }

    /** Runs {@code command names}; that some of them are gone already (the test removed them) is fine. */
    private static void remove(List<String> problems, List<String> command, List<String> names) throws Exception {
        List<String> args = new ArrayList<>(command);
        args.addAll(names);
        Result r = daemon.docker(args.toArray(String[]::new));
        boolean gone = r.err().lines().allMatch(l -> l.contains("No such") || l.contains("not found") || l.contains("no such"));
        if (r.exit() != 0 && !gone) problems.add(String.join(" ", args) + ": " + r);
    }

    // ------------------------------------------------------------------ names each test owns

    private static String unique(String base) {
        return "e2e-" + base + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    private String container(String base) {
        String n = unique(base);
        containers.add(n);
        return n;
    }

    private String volume(String base) {
        String n = unique(base);
        volumes.add(n);
        return n;
    }

    private String network(String base) {
        String n = unique(base);
        networks.add(0, n);
        return n;
    }

    private String image(String base) {
        String n = unique(base) + ":v1";
        images.add(n);
        return n;
    }

    private static String ok(String... args) throws Exception {
        return daemon.ok(args);
    }

    private static Result docker(String... args) throws Exception {
        return daemon.docker(args);
    }

    private static String inspect(String format, String name) throws Exception {
        return ok("inspect", "-f", format, name).strip();
    }

    /** Polls {@code docker inspect -f format} until the value passes {@code until}; fails after {@code seconds}. */
    private static String awaitInspect(String format, String name, Predicate<String> until, int seconds) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        String last = inspect(format, name);
        while (!until.test(last)) {
            if (System.nanoTime() > deadline) fail(name + ": " + format + " is still " + last + " after " + seconds + " s");
            Thread.sleep(100);
            last = inspect(format, name);
        }
        return last;
    }

    // ------------------------------------------------------------------ run, logs, exec

    @Test
    void runAttachedPassesOutputStdinAndExitCode() throws Exception {
        String name = container("run");
        Result r = docker("run", "--name", name, "busybox", "sh", "-c", "echo to-stdout; echo to-stderr >&2; exit 3");
        assertEquals(3, r.exit(), r.toString());
        assertEquals("to-stdout\n", r.out());
        assertTrue(r.err().contains("to-stderr"), r.err());
        assertEquals("exited 3", inspect("{{.State.Status}} {{.State.ExitCode}}", name));
        Result logged = docker("logs", name);
        assertEquals("to-stdout\n", logged.out());
        assertEquals("to-stderr\n", logged.err(), "the log keeps the streams apart");

        Result echoed = daemon.docker("piped\ninput\n".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30),
                "run", "--rm", "-i", "busybox", "sh", "-c", "tr a-z A-Z");
        assertEquals(0, echoed.exit(), echoed.toString());
        assertEquals("PIPED\nINPUT\n", echoed.out());

        String removed = unique("rm");
        assertEquals("gone\n", ok("run", "--rm", "--name", removed, "busybox", "echo", "gone"));
        Result after = docker("inspect", removed);
        assertNotEquals(0, after.exit(), "--rm removed the container: " + after);
    }

    @Test
    void detachedContainerLogsWithTailAndTimestamps() throws Exception {
        String name = container("logs");
        String id = ok("run", "-d", "--name", name, "busybox", "sh", "-c", "for i in 1 2 3 4 5; do echo line$i; done").strip();
        assertTrue(id.matches("[0-9a-f]{64}"), id);
        assertEquals("0", ok("wait", name).strip());
        assertEquals("line1\nline2\nline3\nline4\nline5\n", ok("logs", name));
        assertEquals("line4\nline5\n", ok("logs", "--tail", "2", name));
        String stamped = ok("logs", "-t", "--tail", "2", name);
        List<String> lines = stamped.lines().toList();
        assertEquals(2, lines.size(), stamped);
        for (String line : lines) {
            String[] f = line.split(" ", 2);
            Instant at = Instant.parse(f[0]);
            assertTrue(Duration.between(at, Instant.now()).abs().toMinutes() < 5, "timestamp near now: " + line);
            assertTrue(f[0].matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+Z"), "RFC 3339 with nanoseconds: " + line);
        }
        assertEquals(List.of("line4", "line5"), lines.stream().map(l -> l.split(" ", 2)[1]).toList());
    }

    @Test
    void execRunsInTheContainerWithOutputExitCodeStdinAndTerminal() throws Exception {
        String name = container("exec");
        ok("run", "-d", "--name", name, "busybox", "sh", "-c", "echo inside > /marker; exec sleep 300");
        awaitInspect("{{.State.Running}}", name, "true"::equals, 10);
        Result r = docker("exec", name, "sh", "-c", "cat /marker; echo $$; exit 4");
        assertEquals(4, r.exit(), r.toString());
        List<String> out = r.out().lines().toList();
        assertEquals("inside", out.get(0));
        assertNotEquals("1", out.get(1), "exec is a new process, not the container's init");
        Result in = daemon.docker("from-host\n".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30),
                "exec", "-i", name, "sh", "-c", "cat > /written; cat /written");
        assertEquals(0, in.exit(), in.toString());
        assertEquals("from-host\n", in.out());
        assertEquals("from-host", ok("exec", name, "cat", "/written").strip());
        Result large = docker("exec", name, "sh", "-c", "head -c 3000000 /dev/zero | tr '\\0' a");
        assertEquals(0, large.exit(), large.err());
        assertEquals(3_000_000, large.stdout().length, "a large output arrives whole");
        assertTrue(large.out().chars().allMatch(c -> c == 'a'), "and unchanged");
        Result tty = docker("exec", "-t", name, "sh", "-c", "tty; exit 5");
        assertEquals(5, tty.exit(), tty.toString());
        assertTrue(tty.out().matches("/dev/pts/\\d+\r\n"), "the exec's own terminal: " + tty);
        Result missing = docker("exec", name, "/no/such/binary");
        assertNotEquals(0, missing.exit(), missing.toString());
        Result stopped = docker("exec", unique("none"), "true");
        assertNotEquals(0, stopped.exit(), "exec into a missing container fails: " + stopped);
    }

    @Test
    void psFiltersAndFormats() throws Exception {
        String label = "e2e.ps=" + unique("label");
        String up = container("ps-up");
        String down = container("ps-down");
        ok("run", "-d", "--name", up, "--label", label, "busybox", "sleep", "300");
        assertEquals(2, docker("run", "--name", down, "--label", label, "busybox", "sh", "-c", "exit 2").exit());
        assertEquals(up, ok("ps", "--filter", "label=" + label, "--format", "{{.Names}}").strip(), "ps shows running ones only");
        Set<String> all = Set.copyOf(ok("ps", "-a", "--filter", "label=" + label, "--format", "{{.Names}}").strip().lines().toList());
        assertEquals(Set.of(up, down), all);
        String exited = ok("ps", "-a", "--filter", "label=" + label, "--filter", "status=exited", "--format", "{{.Names}}|{{.Status}}").strip();
        assertTrue(exited.startsWith(down + "|Exited (2) "), exited);
        String byName = ok("ps", "--filter", "name=" + up, "--format", "{{.Names}} {{.Image}} {{.Command}} {{.Status}}").strip();
        assertTrue(byName.startsWith(up + " busybox \"sleep 300\" Up "), byName);
        String ids = ok("ps", "-aq", "--no-trunc", "--filter", "label=" + label).strip();
        assertEquals(2, ids.lines().filter(l -> l.matches("[0-9a-f]{64}")).count(), ids);
    }

    // ------------------------------------------------------------------ stop, kill, rm

    @Test
    void stopSendsSigtermThenSigkillAfterTheTimeout() throws Exception {
        String trapping = container("stop-trap");
        ok("run", "-d", "--name", trapping, "busybox", "sh", "-c",
                "trap 'echo got-term; exit 7' TERM; echo ready; while true; do sleep 0.1; done");
        awaitLog(trapping, "ready");
        long t0 = System.nanoTime();
        ok("stop", "-t", "20", trapping);
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).toSeconds() < 10, "the trap ended it well before the timeout");
        assertEquals("exited 7", inspect("{{.State.Status}} {{.State.ExitCode}}", trapping));
        assertTrue(ok("logs", trapping).contains("got-term"));

        String deaf = container("stop-deaf");
        ok("run", "-d", "--name", deaf, "busybox", "sleep", "300");
        awaitInspect("{{.State.Running}}", deaf, "true"::equals, 10);
        t0 = System.nanoTime();
        ok("stop", "-t", "1", deaf);
        long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        assertTrue(ms >= 900, "SIGKILL came after the 1 s timeout, not before: " + ms + " ms");
        assertEquals("exited 137", inspect("{{.State.Status}} {{.State.ExitCode}}", deaf), "PID 1 ignores SIGTERM; SIGKILL ends it");
        Result again = docker("stop", deaf);
        assertEquals(0, again.exit(), "stopping a stopped container is not an error: " + again);
    }

    @Test
    void killSignalsAndRmForceRemovesRunning() throws Exception {
        String name = container("kill");
        ok("run", "-d", "--name", name, "busybox", "sh", "-c", "trap 'echo got-usr1' USR1; echo ready; while true; do sleep 0.1; done");
        awaitLog(name, "ready");
        ok("kill", "-s", "USR1", name);
        awaitLog(name, "got-usr1");
        assertEquals("true", inspect("{{.State.Running}}", name), "a trapped USR1 does not end it");
        ok("kill", name);
        assertEquals("exited 137", inspect("{{.State.Status}} {{.State.ExitCode}}", name), "docker kill returns once SIGKILL took effect");
        Result twice = docker("kill", name);
        assertNotEquals(0, twice.exit(), "killing a stopped container fails: " + twice);

        String running = container("rmf");
        ok("run", "-d", "--name", running, "busybox", "sleep", "300");
        Result refused = docker("rm", running);
        assertNotEquals(0, refused.exit(), "rm without -f refuses a running container: " + refused);
        ok("rm", "-f", running);
        assertEquals("", ok("ps", "-a", "--filter", "name=" + running, "--format", "{{.Names}}"));
        Result gone = docker("inspect", running);
        assertNotEquals(0, gone.exit());
        assertTrue(gone.err().contains("No such object"), gone.err());
    }

    // ------------------------------------------------------------------ ports

    @Test
    void publishedPortsServeHttpFromTheHost() throws Exception {
        String random = container("web-random");
        ok("run", "-d", "--name", random, "-p", "0:80", "busybox", "sh", "-c",
                "mkdir /www && echo hello-random > /www/index.html && exec httpd -f -p 80 -h /www");
        int port = publishedPort(random);
        assertTrue(port > 0);
        assertEquals("hello-random\n", httpGet(port));

        int fixed = freePort();
        String pinned = container("web-fixed");
        ok("run", "-d", "--name", pinned, "-p", fixed + ":80", "busybox", "sh", "-c",
                "mkdir /www && echo hello-fixed > /www/index.html && exec httpd -f -p 80 -h /www");
        assertEquals(fixed, publishedPort(pinned));
        assertEquals("hello-fixed\n", httpGet(fixed));
        assertTrue(ok("ps", "--filter", "name=" + pinned, "--format", "{{.Ports}}").contains(":" + fixed + "->80/tcp"));

        Result clash = docker("run", "-d", "--name", container("web-clash"), "-p", fixed + ":80", "busybox", "sleep", "300");
        assertNotEquals(0, clash.exit(), "a published host port is taken: " + clash);

        ok("rm", "-f", pinned);
        String again = container("web-again");
        ok("run", "-d", "--name", again, "-p", fixed + ":80", "busybox", "sh", "-c",
                "mkdir /www && echo hello-again > /www/index.html && exec httpd -f -p 80 -h /www");
        assertEquals("hello-again\n", httpGet(fixed), "the port was released with the container and reused");
    }

    /** The host port of 80/tcp from {@code docker port}. */
    private static int publishedPort(String name) throws Exception {
        String out = ok("port", name, "80/tcp").strip();
        String first = out.lines().findFirst().orElseThrow(() -> new AssertionError("docker port printed nothing"));
        assertTrue(first.matches("(0\\.0\\.0\\.0|\\[?::\\]?):\\d+"), first);
        return Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** GET / on 127.0.0.1:port, retried while the server in the container starts. */
    private static String httpGet(int port) throws Exception {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(5)).build();
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (true) {
                try {
                    HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, r.statusCode(), r.body());
                    return r.body();
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) throw new AssertionError("GET http://127.0.0.1:" + port + "/ failed: " + e, e);
                    Thread.sleep(200);
                }
            }
        }
    }

    // ------------------------------------------------------------------ volumes

    @Test
    void namedAnonymousAndBindVolumes() throws Exception {
        String named = volume("data");
        ok("run", "--rm", "-v", named + ":/data", "busybox", "sh", "-c", "echo persisted > /data/f");
        assertEquals("persisted\n", ok("run", "--rm", "-v", named + ":/data", "busybox", "cat", "/data/f"));
        assertTrue(ok("volume", "ls", "-q").lines().toList().contains(named));

        String anon = container("anon");
        ok("run", "--name", anon, "-v", "/anon", "busybox", "sh", "-c", "echo x > /anon/y");
        String anonVolume = inspect("{{range .Mounts}}{{.Name}}{{end}}", anon);
        assertTrue(anonVolume.matches("[0-9a-f]{64}"), "an anonymous volume gets a random name: " + anonVolume);
        assertTrue(ok("volume", "ls", "-q").lines().toList().contains(anonVolume));
        ok("rm", "-v", anon);
        assertFalse(ok("volume", "ls", "-q").lines().toList().contains(anonVolume), "rm -v removed the anonymous volume");

        Path host = Files.createDirectory(tmp.resolve("bind"));
        Files.writeString(host.resolve("from-host"), "host-data\n");
        assertEquals("host-data\n", ok("run", "--rm", "-v", host + ":/b", "busybox", "sh", "-c", "cat /b/from-host; echo ctr-data > /b/from-ctr"));
        assertEquals("ctr-data\n", Files.readString(host.resolve("from-ctr")));
    }

    @Test
    void newNamedVolumeIsFilledFromTheImage() throws Exception {
        String fresh = volume("etc");
        String passwd = ok("run", "--rm", "busybox", "cat", "/etc/passwd");
        assertTrue(passwd.startsWith("root:x:0:0:"), passwd);
        assertEquals(passwd, ok("run", "--rm", "-v", fresh + ":/etc", "busybox", "cat", "/etc/passwd"));
        ok("run", "--rm", "-v", fresh + ":/etc", "busybox", "sh", "-c", "echo changed > /etc/passwd");
        assertEquals("changed\n", ok("run", "--rm", "-v", fresh + ":/etc", "busybox", "cat", "/etc/passwd"),
                "a volume that has content is not filled again");
    }

    // ------------------------------------------------------------------ commit, cp, diff, export

    @Test
    void commitKeepsTheChangesButNotTheInitLayer() throws Exception {
        String name = container("commit");
        ok("run", "--name", name, "busybox", "sh", "-c", "echo committed > /made.txt");
        String tag = image("committed");
        String id = ok("commit", name, tag).strip();
        assertTrue(id.matches("sha256:[0-9a-f]{64}"), id);
        assertEquals("committed\n", ok("run", "--rm", tag, "cat", "/made.txt"));

        Path saved = tmp.resolve("saved.tar");
        ok("save", "-o", saved.toString(), tag);
        Map<String, byte[]> files = readTar(Files.newInputStream(saved));
        JsonNode manifest = JSON.readTree(files.get("manifest.json")).get(0);
        JsonNode layers = manifest.get("Layers");
        assertEquals(2, layers.size(), "the imported layer and the committed one: " + layers);
        Set<String> top = readTar(new ByteArrayInputStream(files.get(layers.get(1).asText()))).keySet();
        assertTrue(top.contains("made.txt"), top.toString());
        for (String initFile : List.of("etc/hosts", "etc/hostname", "etc/resolv.conf", "proc/", "sys/", "dev/console")) {
            assertFalse(top.contains(initFile), initFile + " belongs to the init layer, not the commit: " + top);
        }
    }

    @Test
    void copyIntoAndOutOfAContainer() throws Exception {
        String name = container("cp");
        ok("run", "-d", "--name", name, "busybox", "sh", "-c", "mkdir /dir && exec sleep 300");
        awaitInspect("{{.State.Running}}", name, "true"::equals, 10);
        Path file = Files.writeString(tmp.resolve("note.txt"), "copied in\n");
        ok("cp", file.toString(), name + ":/dir/");
        assertEquals("copied in\n", ok("exec", name, "cat", "/dir/note.txt"));

        Result out = docker("cp", name + ":/etc/passwd", "-");
        assertEquals(0, out.exit(), out.toString());
        Map<String, byte[]> tar = readTar(new ByteArrayInputStream(out.stdout()));
        assertEquals(Set.of("passwd"), tar.keySet());
        assertEquals(ok("exec", name, "cat", "/etc/passwd"), new String(tar.get("passwd"), StandardCharsets.UTF_8));

        Path back = tmp.resolve("back");
        ok("cp", name + ":/dir", back.toString());
        assertEquals("copied in\n", Files.readString(back.resolve("note.txt")));
        Result missing = docker("cp", name + ":/no/such/file", tmp.toString());
        assertNotEquals(0, missing.exit(), missing.toString());
    }

    @Test
    void diffListsTheContainersChanges() throws Exception {
        String name = container("diff");
        ok("run", "--name", name, "busybox", "sh", "-c", "mkdir /dir && echo a > /dir/file && echo changed >> /etc/group && rm /bin/sleep");
        Set<String> changes = Set.copyOf(ok("diff", name).strip().lines().toList());
        assertEquals(Set.of("A /dir", "A /dir/file", "C /etc", "C /etc/group", "C /bin", "D /bin/sleep"), changes);
    }

    @Test
    void exportWritesTheRootFilesystemWithoutVolumesOrProc() throws Exception {
        String vol = volume("export");
        String name = container("export");
        ok("run", "-d", "--name", name, "-v", vol + ":/data", "busybox", "sh", "-c",
                "echo exported > /exported.txt && echo in-volume > /data/v && exec sleep 300");
        awaitInspect("{{.State.Running}}", name, "true"::equals, 10);
        ok("exec", name, "test", "-f", "/data/v");
        Path tar = tmp.resolve("export.tar");
        ok("export", "-o", tar.toString(), name);
        Map<String, byte[]> files = readTar(Files.newInputStream(tar));
        assertEquals("exported\n", new String(files.get("exported.txt"), StandardCharsets.UTF_8));
        assertTrue(files.containsKey("bin/busybox"), "the image's files are there");
        assertFalse(files.containsKey("data/v"), "volumes are not part of the export");
        List<String> proc = files.keySet().stream().filter(n -> n.startsWith("proc/") && !n.equals("proc/")).toList();
        assertEquals(List.of(), proc, "the container's /proc mount is not exported");
    }

    /** Every entry of a tar (gzip-compressed or not): name without a leading {@code ./}, directories ending in {@code /}. */
    private static Map<String, byte[]> readTar(InputStream raw) throws IOException {
        Map<String, byte[]> out = new HashMap<>();
        try (InputStream in = new BufferedInputStream(raw)) {
            in.mark(2);
            boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
            in.reset();
            try (TarArchiveInputStream tar = new TarArchiveInputStream(gzip ? new GZIPInputStream(in) : in)) {
                for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                    String n = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
                    if (!n.isEmpty()) out.put(n, tar.readAllBytes());
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ networks

    @Test
    void userDefinedNetworkResolvesNamesAndConnects() throws Exception {
        String net = network("net");
        ok("network", "create", net);
        String a = container("na");
        String b = container("nb");
        String c = container("nc");
        ok("run", "-d", "--name", a, "--network", net, "busybox", "sleep", "300");
        ok("run", "-d", "--name", b, "--network", net, "busybox", "sleep", "300");
        ok("run", "-d", "--name", c, "busybox", "sleep", "300");
        String ipB = inspect("{{(index .NetworkSettings.Networks \"" + net + "\").IPAddress}}", b);
        Result lookup = docker("exec", a, "nslookup", b);
        assertEquals(0, lookup.exit(), lookup.toString());
        assertTrue(lookup.out().contains(ipB), "nslookup " + b + " answers " + ipB + ": " + lookup.out());
        assertEquals(0, docker("exec", b, "ping", "-c1", "-W2", a).exit(), "ping by name");

        Result before = docker("exec", a, "ping", "-c1", "-W2", c);
        assertNotEquals(0, before.exit(), "a container outside the network is not known by name: " + before);
        ok("network", "connect", net, c);
        assertTrue(inspect("{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}", c).contains(net));
        assertEquals(0, docker("exec", c, "ping", "-c1", "-W2", a).exit(), "the connected container reaches the network by name");
        assertEquals(0, docker("exec", a, "ping", "-c1", "-W2", c).exit(), "and is reached by name");
        ok("network", "disconnect", net, c);
        assertFalse(inspect("{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}", c).contains(net));
        Result after = docker("exec", a, "ping", "-c1", "-W2", c);
        assertNotEquals(0, after.exit(), "after disconnect the name is gone: " + after);

        Result busy = docker("network", "rm", net);
        assertNotEquals(0, busy.exit(), "a network with containers cannot be removed: " + busy);
        ok("rm", "-f", a, b);
        ok("network", "rm", net);
        assertFalse(ok("network", "ls", "--format", "{{.Name}}").lines().toList().contains(net));
    }

    // ------------------------------------------------------------------ restart policies, limits

    @Test
    void restartPolicies() throws Exception {
        String failing = container("onfail");
        ok("run", "-d", "--name", failing, "--restart", "on-failure:2", "busybox", "sh", "-c", "echo run; exit 3");
        awaitInspect("{{.State.Status}} {{.RestartCount}}", failing, "exited 2"::equals, 30);
        assertEquals("3", inspect("{{.State.ExitCode}}", failing));
        assertEquals(3, ok("logs", failing).lines().filter("run"::equals).count(), "the first run and two restarts");

        String always = container("always");
        ok("run", "-d", "--name", always, "--restart", "always", "busybox", "sh", "-c", "echo run; sleep 1; exit 0");
        awaitInspect("{{.RestartCount}}", always, n -> Integer.parseInt(n) >= 1, 30);
        awaitInspect("{{.State.Running}}", always, "true"::equals, 10);
        ok("stop", "-t", "1", always);
        assertEquals("false", inspect("{{.State.Running}}", always), "a stopped always-container stays stopped");
    }

    @Test
    void resourceLimitsReachTheCgroup() throws Exception {
        String name = container("limits");
        ok("run", "-d", "--name", name, "-m", "64m", "--pids-limit", "50", "--cpus", "0.5", "busybox", "sleep", "300");
        String inside = ok("exec", name, "sh", "-c", String.join("; ",
                "cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes",
                "cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max",
                "cat /sys/fs/cgroup/cpu.max 2>/dev/null || echo $(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us) $(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us)"));
        assertEquals(List.of("67108864", "50", "50000 100000"), inside.lines().toList());

        String pid = inspect("{{.State.Pid}}", name);
        Path hostCgroup = memoryCgroup(pid);
        String limit = Files.exists(hostCgroup.resolve("memory.max"))
                ? Files.readString(hostCgroup.resolve("memory.max")) : Files.readString(hostCgroup.resolve("memory.limit_in_bytes"));
        assertEquals("67108864", limit.strip(), "the host sees the limit on " + hostCgroup);
        assertEquals("67108864 50 500000000", inspect("{{.HostConfig.Memory}} {{.HostConfig.PidsLimit}} {{.HostConfig.NanoCpus}}", name));
    }

    /** The host directory of the memory cgroup of process {@code pid}: v1's memory hierarchy, else the unified one. */
    private static Path memoryCgroup(String pid) throws IOException {
        String v2 = null;
        for (String line : Files.readAllLines(Path.of("/proc", pid, "cgroup"))) {
            String[] f = line.split(":", 3);
            if (List.of(f[1].split(",")).contains("memory")) return Path.of("/sys/fs/cgroup/memory" + f[2]);
            if (f[0].equals("0")) v2 = f[2];
        }
        if (v2 == null) fail("process " + pid + " is in no memory cgroup");
        return Path.of("/sys/fs/cgroup" + v2);
    }

    // ------------------------------------------------------------------ terminals, events

    @Test
    void ttyGivesTheContainerATerminal() throws Exception {
        Result r = docker("run", "--rm", "-t", "busybox", "tty");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("/dev/pts/0\r\n", r.out(), "a terminal turns \\n into \\r\\n");
        Result code = docker("run", "--rm", "-t", "busybox", "sh", "-c", "test -t 0 && test -t 1 && exit 4");
        assertEquals(4, code.exit(), "stdin and stdout are the terminal, and the exit code comes through: " + code);
        assertEquals("notty\n", ok("run", "--rm", "busybox", "sh", "-c", "test -t 1 || echo notty"));
    }

    @Test
    void eventsListTheLifecycle() throws Exception {
        long since = Instant.now().getEpochSecond() - 1;
        String name = container("events");
        ok("run", "--name", name, "busybox", "true");
        ok("rm", name);
        String until = String.valueOf(Instant.now().getEpochSecond() + 1);
        String out = daemon.docker(null, Duration.ofSeconds(30), "events", "--since", String.valueOf(since), "--until", until,
                "--filter", "container=" + name, "--format", "{{.Type}} {{.Status}} {{.Actor.Attributes.name}}").out();
        List<String> statuses = out.lines().filter(l -> l.endsWith(" " + name)).map(l -> l.split(" ")[1]).toList();
        List<String> expected = List.of("create", "start", "die", "destroy");
        assertEquals(expected, statuses.stream().filter(expected::contains).toList(), out);
        assertTrue(out.lines().allMatch(l -> l.startsWith("container ")), out);
    }

    // ------------------------------------------------------------------ live restore

    @Test
    void containerOutlivesTheDaemonAndIsAdoptedByTheNextOne() throws Exception {
        Path signals = Files.createDirectory(tmp.resolve("signals"));
        String name = container("restore");
        ok("run", "-d", "--name", name, "-v", signals + ":/sig", "busybox", "sh", "-c", String.join("; ",
                "echo before",
                "while [ ! -f /sig/go ]; do sleep 0.1; done",
                "echo while-down; touch /sig/written",
                "while [ ! -f /sig/end ]; do sleep 0.1; done",
                "echo after; exit 5"));
        awaitLog(name, "before");
        String pid = inspect("{{.State.Pid}}", name);

        daemon.stopDaemon();
        try {
            Files.createFile(signals.resolve("go"));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!Files.exists(signals.resolve("written"))) {
                if (System.nanoTime() > deadline) fail("the container did not run on while the daemon was down");
                Thread.sleep(100);
            }
        } finally {
            daemon.startDaemon();
        }
        assertEquals("true " + pid, inspect("{{.State.Running}} {{.State.Pid}}", name), "the new daemon adopted the same process");
        assertEquals("before\nwhile-down\n", ok("logs", name), "output written while the daemon was down is in the log");
        Files.createFile(signals.resolve("end"));
        assertEquals("5", ok("wait", name).strip());
        assertEquals("exited 5", inspect("{{.State.Status}} {{.State.ExitCode}}", name));
        assertEquals("before\nwhile-down\nafter\n", ok("logs", name));
    }

    private static void awaitLog(String name, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!docker("logs", name).out().contains(text)) {
            if (System.nanoTime() > deadline) fail(name + " did not log " + text + " within 10 s");
            Thread.sleep(100);
        }
    }
}
