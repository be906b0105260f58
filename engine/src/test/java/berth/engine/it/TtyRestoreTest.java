package berth.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import berth.engine.it.support.Command.Result;
import berth.engine.it.support.TestDaemon;

/**
 * Live restore of a container with a terminal ({@code docker run -t}): its monitor keeps the pty master, so the
 * container runs on through a daemon restart with its terminal, and the new daemon takes the terminal over:
 * what it writes reaches {@code docker logs} again (what it wrote meanwhile too), attach and stdin work, a
 * resize reaches it, and its exit is seen. The real docker CLI, with the Engine API directly for what the CLI
 * only does from a terminal (attach with stdin, resize).
 */
@Timeout(120)
class TtyRestoreTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /**
     * Says it started and waits, silent, for /sig/go; then counts ticks with the terminal's size, echoes a line
     * of input, and exits 3 on SIGTERM.
     */
    private static final String SCRIPT = String.join("\n",
            "trap 'echo bye; exit 3' TERM",
            "echo started",
            "while [ ! -e /sig/go ]; do sleep 0.1; done",
            "i=0",
            "while true; do",
            "  i=$((i+1))",
            "  echo \"tick $i size $(stty size 2>/dev/null)\"",
            "  if read -t 0.2 line; then echo \"got $line\"; fi",
            "done");
    private static final Pattern TICK = Pattern.compile("tick (\\d+) ");

    @RegisterExtension
    static final TestDaemon daemon = new TestDaemon();

    @BeforeAll
    static void importBusybox() throws Exception {
        daemon.importBusybox("busybox:latest");
    }

    @Test
    void aTerminalContainerSurvivesADaemonRestartAndTheNewDaemonTakesItsTerminalOver(@TempDir Path signals) throws Exception {
        String name = "e2e-tty-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        try {
            daemon.ok("run", "-d", "-i", "-t", "--name", name, "-v", signals + ":/sig", "busybox", "sh", "-c", SCRIPT);
            await(() -> logs(name), "started");
            String pid = inspect("{{.State.Pid}}", name);
            Path socket = Path.of(daemon.host().substring("unix://".length()));

            // Stopped while the container is silent: the old daemon has nothing of its output half read.
            daemon.stopDaemon();
            try {
                Files.createFile(signals.resolve("go"));
                Thread.sleep(1000); // the container writes ticks to its terminal meanwhile
            } finally {
                daemon.startDaemon();
            }
            assertEquals("true " + pid, inspect("{{.State.Running}} {{.State.Pid}}", name), "the new daemon adopted the same process");
            int before = lastTick(logs(name));
            assertTrue(before >= 3, "the ticks written while the daemon was down are in the log: " + logs(name));
            await(() -> logs(name), "tick " + (before + 3) + " ");
            List<Integer> ticks = ticks(logs(name));
            for (int i = 0; i < ticks.size(); i++) {
                assertEquals(i + 1, ticks.get(i), "every tick is in the log once, in order: " + ticks);
            }

            String resized = request(socket, "POST /containers/" + name + "/resize?h=30&w=100");
            assertTrue(resized.startsWith("HTTP/1.1 200"), resized);
            await(() -> logs(name), "size 30 100");

            try (Attachment a = Attachment.open(socket, name)) {
                await(a::output, "HTTP/1.1 101");
                a.send("hello\n");
                await(a::output, "got hello");
                assertTrue(TICK.matcher(a.output()).find(), "attach streams the output: " + a.output());
            }
            assertTrue(logs(name).contains("got hello"));

            // A detached exec with a terminal: nobody attached, yet its output is drained and its monitor, which
            // keeps the master too, ends with it.
            String execDirs = Path.of(inspect("{{.LogPath}}", name)).resolveSibling("exec") + "/";
            daemon.ok("exec", "-d", "-t", name, "sh", "-c", "seq 1 3000");
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().orElse("").contains(execDirs))) {
                if (System.nanoTime() > deadline) fail("the monitor of a detached exec with a terminal is still there");
                Thread.sleep(100);
            }

            daemon.ok("stop", name);
            assertEquals("3", daemon.ok("wait", name).strip());
            assertEquals("exited 3", inspect("{{.State.Status}} {{.State.ExitCode}}", name));
            assertTrue(logs(name).strip().endsWith("bye"), "the last output before the exit is in the log");
        } finally {
            Result r = daemon.docker("rm", "-f", name);
            if (r.exit() != 0 && !r.err().contains("No such")) fail("docker rm -f " + name + ": " + r);
        }
    }

    private static String logs(String name) throws IOException, InterruptedException {
        return daemon.ok("logs", name);
    }

    private static String inspect(String format, String name) throws IOException, InterruptedException {
        return daemon.ok("inspect", "-f", format, name).strip();
    }

    private static List<Integer> ticks(String output) {
        List<Integer> out = new ArrayList<>();
        Matcher m = TICK.matcher(output);
        while (m.find()) out.add(Integer.parseInt(m.group(1)));
        return out;
    }

    private static int lastTick(String output) {
        List<Integer> t = ticks(output);
        if (t.isEmpty()) fail("no tick in the output: " + output);
        return t.getLast();
    }

    private interface Source {
        String get() throws Exception;
    }

    private static void await(Source source, String text) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String got = source.get();
        while (!got.contains(text)) {
            if (System.nanoTime() > deadline) fail("\"" + text + "\" did not appear within " + WAIT.toSeconds() + " s in:\n" + got);
            Thread.sleep(100);
            got = source.get();
        }
    }

    /** One HTTP/1.1 request without a body on the daemon's socket; the whole response. */
    private static String request(Path socket, String requestLine) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ch.write(ByteBuffer.wrap((requestLine + " HTTP/1.1\r\nHost: berth\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(4096);
            while (ch.read(buf) > 0) {
                got.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            return got.toString(StandardCharsets.UTF_8);
        }
    }

    /** {@code POST /containers/NAME/attach} with stdin, hijacked: the raw terminal stream both ways. */
    private static final class Attachment implements AutoCloseable {
        private final SocketChannel ch;
        private final StringBuilder received = new StringBuilder();
        private final Thread reader;

        private Attachment(SocketChannel ch) {
            this.ch = ch;
            this.reader = Thread.ofPlatform().daemon().start(this::read);
        }

        static Attachment open(Path socket, String name) throws IOException {
            SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap(("POST /containers/" + name + "/attach?stream=1&stdin=1&stdout=1&stderr=1 HTTP/1.1\r\n"
                    + "Host: berth\r\nContent-Length: 0\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
            return new Attachment(ch);
        }

        private void read() {
            ByteBuffer buf = ByteBuffer.allocate(4096);
            try {
                while (ch.read(buf) > 0) {
                    synchronized (received) {
                        received.append(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
                    }
                    buf.clear();
                }
            } catch (IOException ignored) {
                // closed by close()
            }
        }

        /** Everything received so far, the response's status line and headers included. */
        String output() {
            synchronized (received) {
                return received.toString();
            }
        }

        void send(String text) throws IOException {
            ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public void close() throws IOException, InterruptedException {
            ch.close();
            reader.join(5000);
        }
    }
}
