package berth.engine.io;

import berth.sys.LinuxSyscalls;
import berth.sys.SysException;
import berth.sys.Syscalls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The I/O loop on real named pipes: what reaches the sinks, when a session ends, pausing, closing. */
@Timeout(30)
class IoLoopTest {
    private static final int S_IFIFO = 0010000;

    private final Syscalls sys = new LinuxSyscalls();
    private final IoLoop loop = IoLoop.start(sys);
    private final List<FileChannel> writers = new ArrayList<>();
    /** What happened, in order, across all sinks and sessions of a test. */
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());

    @TempDir
    Path dir;

    @AfterEach
    void tearDown() throws IOException {
        loop.close();
        for (FileChannel w : writers) w.close();
    }

    /** A sink that keeps what it gets and records its end; {@code accept} says whether it wants more. */
    private final class Recorder implements ByteSink {
        final String name;
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        volatile BooleanSupplier accept = () -> true;

        Recorder(String name) {
            this.name = name;
        }

        @Override
        public synchronized boolean write(byte[] data, int off, int len) {
            got.write(data, off, len);
            return accept.getAsBoolean();
        }

        @Override
        public void end() {
            events.add(name + " ended");
        }

        synchronized String text() {
            return got.toString(StandardCharsets.US_ASCII);
        }
    }

    private Path fifo(String name) {
        Path p = dir.resolve(name);
        sys.mknod(p.toString(), S_IFIFO | 0600, 0, 0);
        return p;
    }

    /**
     * A write end of {@code fifo}, opened read-write as the monitor opens it (so it needs no reader yet), before the
     * loop reads the pipe: a pipe that has no writer when the loop first reads it has ended.
     */
    private FileChannel writer(Path fifo) throws IOException {
        FileChannel w = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE);
        writers.add(w);
        return w;
    }

    private static void write(FileChannel w, String s) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
        while (b.hasRemaining()) w.write(b);
    }

    private Runnable onEnd(String name, CountDownLatch latch) {
        return () -> {
            events.add(name + " session ended");
            latch.countDown();
        };
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting: " + what);
            Thread.sleep(5);
        }
    }

    @Test
    void outputReachesTheSinksAndTheSessionEndsAfterBothPipesWithTheLastBytesFirst() throws Exception {
        Path out = fifo("stdout"), err = fifo("stderr");
        Recorder o = new Recorder("stdout"), e = new Recorder("stderr");
        CountDownLatch ended = new CountDownLatch(1);
        FileChannel wo = writer(out), we = writer(err);
        loop.watch(List.of(new IoLoop.Fifo(out, o), new IoLoop.Fifo(err, e)), null, onEnd("c1", ended));
        write(wo, "hello\n");
        write(we, "oops\n");
        await(() -> o.text().equals("hello\n") && e.text().equals("oops\n"), "both streams read");
        write(wo, "last words");
        wo.close();
        await(() -> events.contains("stdout ended"), "stdout ended");
        assertEquals("hello\nlast words", o.text());
        assertFalse(ended.await(200, TimeUnit.MILLISECONDS), "stderr is still open, so the session goes on");
        write(we, "bye\n");
        we.close();
        assertTrue(ended.await(5, TimeUnit.SECONDS));
        assertEquals("oops\nbye\n", e.text());
        assertEquals(List.of("stdout ended", "stderr ended", "c1 session ended"), events);
    }

    @Test
    void pipesWhoseWritersAreAllGoneAlreadyEndAtOnce() throws Exception {
        Path out = fifo("stdout"), err = fifo("stderr");
        CountDownLatch ended = new CountDownLatch(1);
        loop.watch(List.of(new IoLoop.Fifo(out, ByteSink.DISCARD), new IoLoop.Fifo(err, ByteSink.DISCARD)), null,
                onEnd("gone", ended));
        assertTrue(ended.await(5, TimeUnit.SECONDS), "the monitor exited before the daemon followed the container");
    }

    @Test
    void aLargeBurstArrivesWholeAndInOrder() throws Exception {
        Path out = fifo("stdout");
        Recorder o = new Recorder("stdout");
        CountDownLatch ended = new CountDownLatch(1);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 20_000; i++) expected.append("line ").append(i).append('\n');
        try (FileChannel w = FileChannel.open(out, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            loop.watch(List.of(new IoLoop.Fifo(out, o)), null, onEnd("burst", ended));
            write(w, expected.toString()); // more than a pipe holds: blocks until the loop has read
        }
        assertTrue(ended.await(5, TimeUnit.SECONDS));
        assertEquals(expected.toString(), o.text());
    }

    @Test
    void aTerminalIsReadAfterThePipesEndUntilItsOwnEnd() throws Exception {
        Path out = fifo("stdout"), tty = fifo("tty");
        Recorder t = new Recorder("tty");
        CountDownLatch ended = new CountDownLatch(1);
        FileChannel wo = writer(out), wt = writer(tty);
        int ttyFd = sys.openNonBlocking(tty.toString());
        loop.watch(List.of(new IoLoop.Fifo(out, ByteSink.DISCARD)), new IoLoop.Terminal(ttyFd, t, Duration.ofSeconds(30)),
                onEnd("tty", ended));
        write(wt, "$ ");
        wo.close();
        assertFalse(ended.await(200, TimeUnit.MILLISECONDS), "the terminal is still open");
        write(wt, "exit\r\n");
        wt.close();
        assertTrue(ended.await(5, TimeUnit.SECONDS));
        assertEquals("$ exit\r\n", t.text());
        assertEquals(List.of("tty ended", "tty session ended"), events);
    }

    @Test
    void aTerminalThatOutlivesThePipesIsEndedAfterItsGraceTime() throws Exception {
        Path out = fifo("stdout"), tty = fifo("tty");
        Recorder t = new Recorder("tty");
        CountDownLatch ended = new CountDownLatch(1);
        FileChannel wo = writer(out);
        writer(tty); // a process in the background keeps the terminal open
        int ttyFd = sys.openNonBlocking(tty.toString());
        loop.watch(List.of(new IoLoop.Fifo(out, ByteSink.DISCARD)), new IoLoop.Terminal(ttyFd, t, Duration.ofMillis(300)),
                onEnd("tty", ended));
        long t0 = System.nanoTime();
        wo.close();
        assertTrue(ended.await(5, TimeUnit.SECONDS));
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(waited >= 250 && waited < 3000, "ended after " + waited + " ms");
        assertEquals(List.of("tty ended", "tty session ended"), events);
    }

    @Test
    void aSinkThatAsksToPauseGetsNothingUntilResumedAndOtherSessionsGoOn() throws Exception {
        Path slowOut = fifo("slow"), fastOut = fifo("fast");
        Recorder slow = new Recorder("slow"), fast = new Recorder("fast");
        slow.accept = () -> false;
        CountDownLatch slowEnded = new CountDownLatch(1), fastEnded = new CountDownLatch(1);
        FileChannel ws = writer(slowOut), wf = writer(fastOut);
        IoLoop.Session session = loop.watch(List.of(new IoLoop.Fifo(slowOut, slow)), null, onEnd("slow", slowEnded));
        loop.watch(List.of(new IoLoop.Fifo(fastOut, fast)), null, onEnd("fast", fastEnded));
        write(ws, "first");
        await(() -> slow.text().equals("first"), "the first read");
        write(ws, "second");
        ws.close();
        write(wf, "meanwhile");
        wf.close();
        assertTrue(fastEnded.await(5, TimeUnit.SECONDS), "a paused session does not hold up the others");
        assertEquals("meanwhile", fast.text());
        assertFalse(slowEnded.await(200, TimeUnit.MILLISECONDS));
        assertEquals("first", slow.text(), "nothing read while paused");
        slow.accept = () -> true;
        session.resume();
        assertTrue(slowEnded.await(5, TimeUnit.SECONDS), "the end of file is seen after the resume");
        assertEquals("firstsecond", slow.text());
    }

    @Test
    void aMissingPipeFailsTheWatchWithItsErrno() {
        SysException e = assertThrows(SysException.class, () -> loop.watch(
                List.of(new IoLoop.Fifo(dir.resolve("missing"), ByteSink.DISCARD)), null, () -> {}));
        assertTrue(e.getMessage().contains("missing: ENOENT"), e.getMessage());
    }

    @Test
    void aClosedLoopTakesNoMoreSessionsAndEndsNone() throws Exception {
        Path out = fifo("stdout");
        CountDownLatch ended = new CountDownLatch(1);
        writer(out);
        loop.watch(List.of(new IoLoop.Fifo(out, ByteSink.DISCARD)), null, onEnd("c", ended));
        loop.close();
        assertThrows(IllegalStateException.class,
                () -> loop.watch(List.of(new IoLoop.Fifo(fifo("other"), ByteSink.DISCARD)), null, () -> {}));
        assertFalse(ended.await(100, TimeUnit.MILLISECONDS), "the process lives on: its session is not ended");
    }
}
