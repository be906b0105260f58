package berth.engine.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A client that leaves mid-request (run -d dropping its wait, a log follower hitting ^C) is noticed. */
@Timeout(60)
class ClientGoneTest {
    @TempDir
    Path dir;
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void droppedWaitRunsTheCallbackAndLaterWritesFail() throws Exception {
        CountDownLatch callback = new CountDownLatch(1);
        CountDownLatch handlerDone = new CountDownLatch(1);
        AtomicBoolean goneSeen = new AtomicBoolean();
        AtomicReference<IOException> writeFailure = new AtomicReference<>();
        server = TestServer.start(dir, new Router().on("POST", "/containers/{id}/wait", ex -> {
            OutputStream out = ex.stream(200, "application/json");
            out.flush();
            ex.onClientGone(callback::countDown);
            callback.await(10, TimeUnit.SECONDS);
            goneSeen.set(ex.clientGone());
            try {
                for (int i = 0; i < 10_000; i++) {
                    out.write(new byte[1024]);
                    out.flush();
                    Thread.sleep(1);
                }
            } catch (IOException e) {
                writeFailure.set(e);
            }
            handlerDone.countDown();
        }));
        try (UnixHttpClient c = server.connect()) {
            c.send("POST /containers/x/wait?condition=next-exit HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, c.readHead().status());
        }
        assertTrue(callback.await(5, TimeUnit.SECONDS), "onClientGone ran");
        assertTrue(handlerDone.await(20, TimeUnit.SECONDS));
        assertTrue(goneSeen.get(), "clientGone() is true");
        assertNotNull(writeFailure.get(), "writes to a client that left fail");
    }

    @Test
    void callbackRegisteredAfterTheClientLeftRunsAtOnce() throws Exception {
        CountDownLatch requested = new CountDownLatch(1);
        CountDownLatch left = new CountDownLatch(1);
        AtomicBoolean ranInline = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        server = TestServer.start(dir, new Router().on("GET", "/events", ex -> {
            requested.countDown();
            left.await();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!ex.clientGone() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread caller = Thread.currentThread();
            ex.onClientGone(() -> ranInline.set(Thread.currentThread() == caller));
            done.countDown();
        }));
        try (UnixHttpClient c = server.connect()) {
            c.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(requested.await(5, TimeUnit.SECONDS));
        }
        left.countDown();
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertTrue(ranInline.get());
    }
}
