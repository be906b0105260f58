package berth.engine;

import berth.engine.io.ByteSink;
import berth.engine.io.IoLoop;
import berth.engine.logs.StdStream;
import berth.engine.logs.StreamWriter;
import berth.sys.LinuxSyscalls;
import berth.sys.Syscalls;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An exec's output queue: order, end, the pause it asks for and the resume it gives, a client that goes away. */
@Timeout(30)
class ExecOutputTest {
    @TempDir
    Path dir;

    /** A client that records each write as "stream:text"; {@code gate} holds every write until it opens. */
    private static final class Client implements StreamWriter {
        final List<String> writes = new ArrayList<>();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CountDownLatch gate;
        boolean gone;

        Client(CountDownLatch gate) {
            this.gate = gate;
        }

        @Override
        public synchronized void write(StdStream stream, byte[] data, int off, int len) throws IOException {
            try {
                gate.await();
            } catch (InterruptedException e) {
                throw new IOException("interrupted", e);
            }
            if (gone) throw new IOException("Broken pipe");
            writes.add(stream + ":" + new String(data, off, len, StandardCharsets.US_ASCII));
            bytes.write(data, off, len);
        }

        @Override
        public void flush() {
        }
    }

    private static boolean write(ByteSink sink, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return sink.write(b, 0, b.length);
    }

    @Test
    void theClientGetsEveryStreamInTheOrderReadAndTheDrainEndsWithTheLastSink() {
        ExecOutput output = new ExecOutput(1024);
        ByteSink out = output.sink(StdStream.STDOUT), err = output.sink(StdStream.STDERR);
        assertTrue(write(out, "one "));
        assertTrue(write(err, "oops "));
        assertTrue(write(out, "two"));
        out.end();
        err.end();
        Client client = new Client(new CountDownLatch(0));
        output.drainTo(client, () -> {});
        assertEquals(List.of("STDOUT:one ", "STDERR:oops ", "STDOUT:two"), client.writes);
    }

    @Test
    void aFullQueueAsksForAPauseAndIsResumedOnceDrainedToHalf() throws Exception {
        ExecOutput output = new ExecOutput(10);
        ByteSink out = output.sink(StdStream.STDOUT);
        assertTrue(write(out, "1234"), "room left");
        assertTrue(write(out, "5678"), "room left");
        assertFalse(write(out, "90ab"), "12 bytes queued, the limit is 10: pause");
        AtomicInteger resumes = new AtomicInteger();
        List<Integer> queuedAtResume = new ArrayList<>();
        Client client = new Client(new CountDownLatch(0));
        Thread drainer = Thread.ofVirtual().start(() -> output.drainTo(client, () -> {
            resumes.incrementAndGet();
            synchronized (client) {
                queuedAtResume.add(client.writes.size());
            }
        }));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (resumes.get() == 0 && System.nanoTime() < deadline) Thread.sleep(5);
        assertEquals(1, resumes.get(), "resumed once");
        assertEquals(List.of(1), queuedAtResume, "after taking 8 of 12 bytes (4 left, half of 10 or less), before writing the second");
        assertTrue(write(out, "cd"), "room again");
        out.end();
        drainer.join();
        assertEquals("1234567890abcd", client.bytes.toString(StandardCharsets.US_ASCII));
        assertEquals(1, resumes.get(), "a queue that did not fill again is not resumed again");
    }

    @Test
    void aClientThatWentAwayStillHasTheQueueDrainedAndTheExecResumed() {
        ExecOutput output = new ExecOutput(4);
        ByteSink out = output.sink(StdStream.STDOUT);
        Client client = new Client(new CountDownLatch(0));
        client.gone = true;
        assertFalse(write(out, "full"));
        out.end();
        AtomicInteger resumes = new AtomicInteger();
        output.drainTo(client, resumes::incrementAndGet);
        assertEquals(1, resumes.get());
        assertEquals(List.of(), client.writes);
    }

    /**
     * Through the real loop: a client that takes nothing stops the writer of the pipe once the queue and the pipe are
     * full (as a slow client blocks its exec), and then gets every byte in order once it takes again.
     */
    @Test
    void aStalledClientBlocksThePipesWriterAndLaterGetsEveryByte() throws Exception {
        Syscalls sys = new LinuxSyscalls();
        Path fifo = dir.resolve("stdout");
        Pipes.fifo(sys, fifo);
        byte[] data = new byte[3_000_000];
        for (int k = 0; k < data.length; k++) data[k] = (byte) ('a' + k % 26);
        ExecOutput output = new ExecOutput(64 * 1024);
        CountDownLatch ended = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        Client client = new Client(gate);
        AtomicInteger written = new AtomicInteger();
        try (IoLoop loop = IoLoop.start(sys);
             FileChannel w = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            IoLoop.Session session = loop.watch(List.of(new IoLoop.Fifo(fifo, output.sink(StdStream.STDOUT))), null,
                    ended::countDown);
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    for (int off = 0; off < data.length; off += 8192) {
                        written.addAndGet(w.write(ByteBuffer.wrap(data, off, Math.min(8192, data.length - off))));
                    }
                    w.close();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            Thread drainer = Thread.ofVirtual().start(() -> output.drainTo(client, session::resume));
            try {
                Thread.sleep(500);
                int stalledAt = written.get();
                assertTrue(stalledAt < 1_000_000, "the writer is held up by the stalled client, after " + stalledAt + " bytes");
                Thread.sleep(200);
                assertEquals(stalledAt, written.get(), "and stays held up");
            } finally {
                gate.countDown();
            }
            writer.join();
            drainer.join();
            assertTrue(ended.await(5, TimeUnit.SECONDS));
        }
        assertArrayEquals(data, client.bytes.toByteArray());
    }
}
