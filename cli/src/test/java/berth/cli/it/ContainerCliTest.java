package berth.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The container verbs of {@code bin/berth}, end to end against the {@link DaemonUnderTest}: run, exec,
 * logs, ps, stop/kill/rm, inspect and cp, with a busybox image imported through the CLI.
 */
class ContainerCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger SEQ = new AtomicInteger();
    static DaemonUnderTest daemon;
    static Berth berth;

    @BeforeAll
    static void start() throws Exception {
        daemon = DaemonUnderTest.start();
        berth = new Berth(daemon, daemon.dir().resolve("cfg"));
        daemon.loadBusybox(berth);
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) daemon.close();
    }

    /** A container name no other test uses. */
    static String name() {
        return "it" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet();
    }

    @Test
    void runAttachedStreamsOutputAndExitsWithTheContainersCode() throws Exception {
        Berth.Result r = berth.run("run", "--rm", "busybox", "sh", "-c", "echo out; echo err >&2; exit 3");
        assertEquals(3, r.status(), r.err());
        assertEquals("out\n", r.out());
        assertEquals("err\n", r.err());
        assertEquals(0, berth.run("run", "--rm", "busybox", "true").status());
    }

    @Test
    void runPassesEnvWorkdirAndUser() throws Exception {
        Berth.Result r = berth.run("run", "--rm", "-e", "GREETING=hello there", "-w", "/tmp", "-u", "65534:65534", "busybox",
                "sh", "-c", "echo \"$GREETING\"; pwd; id -u; id -g").ok();
        assertEquals("hello there\n/tmp\n65534\n65534\n", r.out());
    }

    @Test
    void runDetachedPrintsTheIdAndRmRemovesOnExit() throws Exception {
        String n = name();
        String id = berth.run("run", "-d", "--name", n, "busybox", "sleep", "30").ok().out().strip();
        assertTrue(id.matches("[0-9a-f]{64}"), id);
        assertEquals("true", berth.run("inspect", "-f", "{{.State.Running}}", n).ok().out().strip());
        assertEquals(n + "\n", berth.run("rm", "-f", n).ok().out());

        String gone = name();
        berth.run("run", "--rm", "--name", gone, "busybox", "true").ok();
        assertEquals("", berth.run("ps", "-a", "-q", "--filter", "name=" + gone).ok().out(), "--rm removed the container by the time run returned");
    }

    @Test
    void execRunsInTheContainerWithItsExitCodeAndStdin(@TempDir Path tmp) throws Exception {
        String n = name();
        berth.run("run", "-d", "--name", n, "busybox", "sleep", "60").ok();
        try {
            Berth.Result r = berth.run("exec", "-e", "X=1", "-w", "/tmp", n, "sh", "-c", "echo $X $(pwd); echo oops >&2; exit 5");
            assertEquals(5, r.status(), r.err());
            assertEquals("1 /tmp\n", r.out());
            assertEquals("oops\n", r.err());
            Path input = Files.writeString(tmp.resolve("in.txt"), "line one\nline two\n");
            assertEquals("2\n", berth.run(input, "exec", "-i", n, "wc", "-l").ok().out().stripLeading());
            assertEquals("", berth.run("exec", "-d", n, "sh", "-c", "echo detached > /tmp/d").ok().out());
            Thread.sleep(300);
            assertEquals("detached\n", berth.run("exec", n, "cat", "/tmp/d").ok().out());
        } finally {
            berth.run("rm", "-f", n);
        }
    }

    @Test
    void logsWithTimestampsTailAndFollow() throws Exception {
        String n = name();
        berth.run("run", "--name", n, "busybox", "sh", "-c", "echo e >&2; sleep 0.3; for i in 1 2 3 4; do echo line $i; done").ok();
        try {
            Berth.Result all = berth.run("logs", n).ok();
            assertEquals("line 1\nline 2\nline 3\nline 4\n", all.out());
            assertEquals("e\n", all.err());
            assertEquals("line 3\nline 4\n", berth.run("logs", "--tail", "2", n).ok().out());
            String stamped = berth.run("logs", "-t", "--tail", "1", n).ok().out();
            assertTrue(stamped.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+Z line 4\n"), stamped);
        } finally {
            berth.run("rm", n);
        }
        String f = name();
        berth.run("run", "-d", "--name", f, "busybox", "sh", "-c", "echo first; sleep 2; echo last").ok();
        try {
            long start = System.nanoTime();
            Berth.Result follow = berth.run("logs", "-f", f).ok();
            assertEquals("first\nlast\n", follow.out(), "logs -f ends when the container exits");
            assertTrue(System.nanoTime() - start > 1_000_000_000L, "logs -f waited for the container");
        } finally {
            berth.run("rm", "-f", f);
        }
    }

    @Test
    void psListsFiltersAndFormats() throws Exception {
        String running = name(), exited = name();
        berth.run("run", "-d", "--name", running, "-l", "suite=ps", "busybox", "sleep", "60").ok();
        berth.run("run", "--name", exited, "-l", "suite=ps", "busybox", "true").ok();
        try {
            String table = berth.run("ps").ok().out();
            assertTrue(table.lines().findFirst().orElseThrow().matches("CONTAINER ID\\s+IMAGE\\s+COMMAND\\s+CREATED\\s+STATUS\\s+PORTS\\s+NAMES"), table);
            assertTrue(table.contains(running) && !table.contains(exited), table);
            String both = berth.run("ps", "-a", "--filter", "label=suite=ps", "--format", "{{.Names}} {{.State}}").ok().out();
            assertEquals(List.of(exited + " exited", running + " running").stream().sorted().toList(), both.lines().sorted().toList());
            String onlyExited = berth.run("ps", "-a", "--filter", "label=suite=ps", "--filter", "status=exited", "-q").ok().out();
            assertEquals(1, onlyExited.lines().count(), onlyExited);
            assertTrue(onlyExited.strip().matches("[0-9a-f]{12}"), onlyExited);
            String custom = berth.run("ps", "--filter", "name=" + running, "--format", "table {{.ID}}\\t{{.Names}}\\t{{.Command}}").ok().out();
            assertTrue(custom.lines().findFirst().orElseThrow().matches("CONTAINER ID\\s+NAMES\\s+COMMAND"), custom);
            assertTrue(custom.contains(running + "   \"sleep 60\""), custom);
            JsonNode row = JSON.readTree(berth.run("ps", "--filter", "name=" + running, "--format", "{{json .}}").ok().out());
            assertEquals(running, row.get("Names").asText());
            assertEquals("busybox", row.get("Image").asText());
            assertTrue(row.get("Status").asText().startsWith("Up"), row.toString());
            assertEquals("suite=ps", row.get("Labels").asText());
            Berth.Result bad = berth.run("ps", "--format", "{{.Names | frobnicate}}");
            assertEquals(1, bad.status());
            assertEquals(1, bad.err().lines().count(), bad.err());
            assertTrue(bad.err().contains("function \"frobnicate\" not defined"), bad.err());
        } finally {
            berth.run("rm", "-f", running, exited);
        }
    }

    @Test
    void stopKillAndRm() throws Exception {
        String a = name(), b = name();
        berth.run("run", "-d", "--name", a, "busybox", "sleep", "60").ok();
        berth.run("run", "-d", "--name", b, "busybox", "sleep", "60").ok();
        try {
            Berth.Result busy = berth.run("rm", a);
            assertEquals(1, busy.status());
            assertEquals(1, busy.err().lines().count(), busy.err());
            assertTrue(busy.err().startsWith("Error response from daemon: "), busy.err());
            assertEquals(a + "\n", berth.run("stop", "-t", "1", a).ok().out());
            assertEquals("false 137", berth.run("inspect", "-f", "{{.State.Running}} {{.State.ExitCode}}", a).ok().out().strip(),
                    "sleep ignores SIGTERM as pid 1, so stop killed it after the timeout");
            assertEquals(b + "\n", berth.run("kill", "-s", "KILL", b).ok().out());
            assertEquals("137\n", berth.run("wait", b).ok().out());
            assertEquals(a + "\n" + b + "\n", berth.run("rm", a, b).ok().out());
            Berth.Result missing = berth.run("rm", a);
            assertEquals(1, missing.status());
            assertTrue(missing.err().startsWith("Error response from daemon: No such container: " + a), missing.err());
        } finally {
            berth.run("rm", "-f", a, b);
        }
    }

    @Test
    void inspectWithTemplatesAndTypes() throws Exception {
        String n = name();
        berth.run("create", "--name", n, "-e", "A=1", "-l", "k=v", "busybox", "echo", "hi").ok();
        try {
            assertEquals("busybox [echo hi] v", berth.run("inspect", "-f", "{{.Config.Image}} {{.Config.Cmd}} {{index .Config.Labels \"k\"}}", n).ok().out().strip());
            String env = berth.run("inspect", "--type", "container", "-f", "{{json .Config.Env}}", n).ok().out();
            assertTrue(JSON.readTree(env).toString().contains("\"A=1\""), env);
            JsonNode whole = JSON.readTree(berth.run("inspect", n).ok().out());
            assertEquals(1, whole.size());
            assertEquals("/" + n, whole.get(0).get("Name").asText());
            assertTrue(berth.run("inspect", "-f", "{{.Id}}", "busybox").ok().out().startsWith("sha256:"), "an image is found when no container is");
            Berth.Result missing = berth.run("inspect", "no-such-thing-" + n);
            assertEquals(1, missing.status());
            assertEquals("[]\n", missing.out());
            assertEquals("Error: No such object: no-such-thing-" + n + "\n", missing.err());
        } finally {
            berth.run("rm", n);
        }
    }

    @Test
    void cpCopiesBothWaysWithDockersSemantics(@TempDir Path tmp) throws Exception {
        String n = name();
        berth.run("run", "-d", "--name", n, "busybox", "sleep", "60").ok();
        try {
            Path file = Files.writeString(tmp.resolve("note.txt"), "a note\n");
            Path dir = Files.createDirectories(tmp.resolve("tree/sub"));
            Files.writeString(dir.resolve("leaf"), "leaf\n");
            berth.run("cp", file.toString(), n + ":/tmp/").ok();
            berth.run("cp", tmp.resolve("tree").toString(), n + ":/tmp/copied").ok();
            berth.run("cp", tmp.resolve("tree").toString(), n + ":/tmp/copied").ok();
            assertEquals("a note\nleaf\nleaf\n", berth.run("exec", n, "cat", "/tmp/note.txt", "/tmp/copied/sub/leaf", "/tmp/copied/tree/sub/leaf").ok().out(),
                    "a new name gets the directory's content; an existing directory receives it under its own name");

            Path back = tmp.resolve("back");
            berth.run("cp", n + ":/tmp/copied", back.toString()).ok();
            assertEquals("leaf\n", Files.readString(back.resolve("sub/leaf")));
            berth.run("cp", n + ":/tmp/note.txt", back.toString()).ok();
            assertEquals("a note\n", Files.readString(back.resolve("note.txt")));
            berth.run("cp", n + ":/tmp/note.txt", tmp.resolve("renamed.txt").toString()).ok();
            assertEquals("a note\n", Files.readString(tmp.resolve("renamed.txt")));

            Path tar = tmp.resolve("out.tar");
            Files.write(tar, new ProcessBuilder(berth.command("cp", n + ":/tmp/note.txt", "-")).start().getInputStream().readAllBytes());
            Process list = new ProcessBuilder("tar", "-tf", tar.toString()).redirectErrorStream(true).start();
            assertEquals("note.txt\n", new String(list.getInputStream().readAllBytes()));
            assertEquals(0, list.waitFor());
            berth.run(tar, "cp", "-", n + ":/").ok();
            assertEquals("a note\n", berth.run("exec", n, "cat", "/note.txt").ok().out());

            Berth.Result missing = berth.run("cp", n + ":/nonexistent", tmp.toString());
            assertEquals(1, missing.status());
            assertEquals(1, missing.err().lines().count(), missing.err());
        } finally {
            berth.run("rm", "-f", n);
        }
    }

    @Test
    void usageErrorsAreOneLineWithStatus125() throws Exception {
        for (List<String> argv : List.of(List.of("ps", "--bogus"), List.of("run"), List.of("run", "--rm", "--restart", "always", "busybox"),
                List.of("frobnicate"), List.of("run", "-p", "99999:80", "busybox"))) {
            Berth.Result r = berth.run(argv.toArray(String[]::new));
            assertEquals(125, r.status(), argv + ": " + r.err());
            assertEquals(1, r.err().lines().count(), argv + ": " + r.err());
            assertTrue(r.err().startsWith("berth: "), r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
        Berth.Result noImage = berth.run("run", "--pull", "never", "--rm", "no-such-image-here:1");
        assertEquals(125, noImage.status());
        assertEquals(1, noImage.err().lines().count(), noImage.err());
    }
}
