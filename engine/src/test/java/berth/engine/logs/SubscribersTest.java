package berth.engine.logs;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Live output for attached clients: order, end, and what happens to a client that falls behind. */
class SubscribersTest {
    private static final Set<StdStream> BOTH = Set.of(StdStream.STDOUT, StdStream.STDERR);

    private static void publish(Subscribers s, StdStream stream, String text) {
        byte[] b = ("[" + text + "]").getBytes(StandardCharsets.UTF_8);
        s.publish(stream, b, 1, b.length - 2);
    }

    private static String next(Subscription s) throws InterruptedException {
        Optional<OutputChunk> c = s.next();
        return c.map(chunk -> chunk.stream().logName() + ":" + new String(chunk.data(), StandardCharsets.UTF_8)).orElse("end");
    }

    @Test
    void aClientGetsTheStreamsItAskedForInOrderThenTheEnd() throws InterruptedException {
        Subscribers live = new Subscribers(BOTH);
        Subscription both = live.subscribe(BOTH, 1024);
        Subscription errOnly = live.subscribe(Set.of(StdStream.STDERR), 1024);
        publish(live, StdStream.STDOUT, "o1");
        publish(live, StdStream.STDERR, "e1");
        publish(live, StdStream.STDOUT, "o2");
        live.end(StdStream.STDOUT);
        assertEquals("stdout:o1", next(both));
        assertEquals("stderr:e1", next(both));
        assertEquals("stdout:o2", next(both));
        assertEquals("stderr:e1", next(errOnly));
        assertEquals(2, live.count(), "stderr is still open");
        live.end(StdStream.STDERR);
        assertEquals("end", next(both));
        assertEquals("end", next(errOnly));
        assertEquals(0, live.count());
    }

    @Test
    void aWaitingClientWakesForOutputAndForTheEnd() throws Exception {
        Subscribers live = new Subscribers(Set.of(StdStream.STDOUT));
        Subscription s = live.subscribe(BOTH, 1024);
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
            try {
                return next(s) + " " + next(s);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(50);
        publish(live, StdStream.STDOUT, "hi");
        live.end(StdStream.STDOUT);
        assertEquals("stdout:hi end", first.get(10, TimeUnit.SECONDS), "a TTY container has no stderr to wait for");
    }

    @Test
    void subscribingAfterTheEndEndsAtOnce() throws InterruptedException {
        Subscribers live = new Subscribers(BOTH);
        live.end(StdStream.STDOUT);
        live.end(StdStream.STDERR);
        assertEquals("end", next(live.subscribe(BOTH, 1024)));
        assertEquals(0, live.count());
    }

    @Test
    void aClientThatFallsBehindIsDroppedWithoutHoldingUpThePublisher() throws InterruptedException {
        Subscribers live = new Subscribers(BOTH);
        Subscription slow = live.subscribe(BOTH, 10);
        Subscription fast = live.subscribe(BOTH, 1 << 20);
        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            publish(live, StdStream.STDOUT, "12345");
        }
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
        assertEquals("stdout:12345", next(slow));
        assertEquals("stdout:12345", next(slow));
        assertEquals("end", next(slow), "what was buffered, then the end");
        assertTrue(slow.overflowed());
        assertEquals(1, live.count());
        for (int i = 0; i < 1000; i++) {
            assertEquals("stdout:12345", next(fast));
        }
        assertFalse(fast.overflowed());
    }

    @Test
    void aClientThatDetachesStopsReceiving() throws InterruptedException {
        Subscribers live = new Subscribers(BOTH);
        Subscription s = live.subscribe(BOTH, 1024);
        publish(live, StdStream.STDOUT, "x");
        s.close();
        assertEquals(0, live.count());
        assertEquals("end", next(s));
        publish(live, StdStream.STDOUT, "y");
        assertEquals("end", next(s));
    }
}
