package berth.runtime.it;

import static berth.runtime.it.OciRuntime.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** process.terminal with --console-socket: the pty master goes to the socket's peer. */
class TerminalTest extends ContainerTestBase {

    private Path receiverScript() throws IOException {
        Path script = work.resolve("console_receiver.py");
        try (InputStream in = TerminalTest.class.getResourceAsStream("console_receiver.py")) {
            assertNotNull(in, "test resource console_receiver.py");
            Files.copy(in, script);
        }
        return script;
    }

    /** Starts the receiver and waits until its socket is listening. */
    private Process startReceiver(Path socket, String tag, String... input) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ItEnv.PYTHON.toString(), receiverScript().toString(), socket.toString()));
        cmd.addAll(List.of(input));
        Process p = helper(OciRuntime.Processes.start(cmd, work.resolve("log"), tag));
        assertTrue(awaitFile(socket, Duration.ofSeconds(10)), "console receiver did not listen on " + socket);
        return p;
    }

    private Result finishReceiver(Process p, String tag) {
        return OciRuntime.Processes.finish(p, List.of("console_receiver.py"), work.resolve("log"), tag,
                Duration.ofSeconds(25), System.nanoTime());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void createWithConsoleSocket(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        Path socket = work.resolve("console.sock");
        Process receiver = startReceiver(socket, "receiver");
        Bundle b = bundle(rt).sh("tty; echo tty-ok; [ -t 0 ] && [ -t 1 ] && [ -t 2 ] && echo stdio-is-tty");
        b.process().put("terminal", true);
        String id = newId();
        Result created = create(rt, b, id, "--console-socket", socket.toString());
        assertEquals("", created.out(), created::toString);
        rt.ok("start", id);
        Result out = finishReceiver(receiver, "receiver");
        assertEquals(0, out.exitCode(), out::toString);
        String text = out.stdout().replace("\r", "");
        assertContains(text, "/dev/pts/0\ntty-ok\nstdio-is-tty", out);
        assertContains(out.stderr(), "fds=1", out);
        rt.awaitStatus(id, "stopped", Duration.ofSeconds(5));
        rt.ok("delete", id);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void terminalInputReachesTheContainer(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        Path socket = work.resolve("console.sock");
        Process receiver = startReceiver(socket, "receiver", "hello-from-host\n");
        Bundle b = bundle(rt).sh("read line; echo \"got:$line\"");
        b.process().put("terminal", true);
        String id = newId();
        create(rt, b, id, "--console-socket", socket.toString());
        rt.ok("start", id);
        Result out = finishReceiver(receiver, "receiver");
        assertEquals(0, out.exitCode(), out::toString);
        assertContains(out.stdout().replace("\r", ""), "got:hello-from-host", out);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void execWithTerminal(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        Bundle b = bundle(rt).args("sleep", "60");
        String id = newId();
        b.save();
        assertEquals(0, rt.exec("run", "-d", "--bundle", b.dir().toString(), id).exitCode());
        Path socket = work.resolve("exec.sock");
        Process receiver = startReceiver(socket, "exec-receiver");
        Result r = rt.exec("exec", "-t", "-d", "--console-socket", socket.toString(), id, "sh", "-c", "tty; echo exec-tty-ok");
        assertEquals(0, r.exitCode(), r::toString);
        Result out = finishReceiver(receiver, "exec-receiver");
        assertEquals(0, out.exitCode(), out::toString);
        String text = out.stdout().replace("\r", "");
        assertTrue(text.matches("(?s)/dev/pts/\\d+\nexec-tty-ok\n?"), out::toString);
    }
}
