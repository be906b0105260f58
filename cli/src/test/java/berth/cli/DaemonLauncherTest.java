package berth.cli;

import berth.cli.client.ApiClient;
import berth.cli.client.DaemonHost;
import berth.cli.client.DaemonUnreachableException;
import berth.cli.client.StubDaemon;
import berth.cli.client.UnixHttpTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Starting the daemon when nothing answers at the default address, with a stand-in for bin/berth. */
class DaemonLauncherTest {

    /** A "bin/berth" that records its arguments (the daemon it would start is played by the test). */
    private static Path fakeBinary(Path dir) throws Exception {
        Path script = dir.resolve("berth");
        Files.writeString(script, "#!/bin/sh\necho \"$@\" > " + dir.resolve("args.txt") + "\necho started\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    @Test
    void startsTheDaemonDetachedAndWaitsForItsPing(@TempDir Path dir) throws Exception {
        Path binary = fakeBinary(dir);
        try (StubDaemon stub = new StubDaemon(StubDaemon.json(200, "OK", "1.44"))) {
            // the launcher is pointed at a socket that only appears once "the daemon" started
            Path socket = dir.resolve("run/berth.sock");
            DaemonHost host = new DaemonHost("unix://" + socket, socket, true);
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            DaemonLauncher launcher = new DaemonLauncher(host, dir.resolve("root"), binary.toString(), 20_000, new PrintStream(err, true));
            ApiClient api = new ApiClient(new UnixHttpTransport(socket), host.uri());
            CompletableFuture<Void> started = CompletableFuture.runAsync(() -> {
                try {
                    launcher.ensureRunning(api);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            Path args = dir.resolve("args.txt");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!Files.exists(args) && System.nanoTime() < deadline) Thread.sleep(20);
            Files.createSymbolicLink(socket, stub.socket());
            started.get(15, TimeUnit.SECONDS);
            assertEquals("daemon --host unix://" + socket + " --root " + dir.resolve("root") + "\n", Files.readString(args));
            assertTrue(Files.readString(dir.resolve("root/daemon.log")).contains("started"));
            assertTrue(err.toString().contains("started the daemon at unix://" + socket), err.toString());
        }
    }

    @Test
    void aDaemonThatNeverAnswersIsOneClearError(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("berth.sock");
        DaemonHost host = new DaemonHost("unix://" + socket, socket, true);
        DaemonLauncher launcher = new DaemonLauncher(host, dir.resolve("root"), fakeBinary(dir).toString(), 500,
                new PrintStream(new ByteArrayOutputStream()));
        DaemonUnreachableException e = assertThrows(DaemonUnreachableException.class,
                () -> launcher.ensureRunning(new ApiClient(new UnixHttpTransport(socket), host.uri())));
        assertEquals("Cannot connect to the berth daemon at unix://" + socket + ": started it, but it did not answer within 0.5 s (see "
                + dir.resolve("root/daemon.log") + ")", e.getMessage());
        DaemonLauncher unknown = new DaemonLauncher(host, dir.resolve("root"), null, 500, new PrintStream(new ByteArrayOutputStream()));
        assertTrue(assertThrows(DaemonUnreachableException.class, () -> unknown.ensureRunning(new ApiClient(new UnixHttpTransport(socket), host.uri())))
                .getMessage().contains("cannot start one"));
    }
}
