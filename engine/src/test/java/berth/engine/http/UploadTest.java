package berth.engine.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A large chunked upload streams through to the handler with backpressure instead of piling up in memory. */
@Timeout(120)
class UploadTest {
    private static final long TOTAL = 200L << 20;
    private static final int CHUNK = 61_440; // not a power of two, so chunks and reads never line up

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
    void twoHundredMegabytesStreamThroughWithBoundedBuffering() throws Exception {
        CountDownLatch handlerStarted = new CountDownLatch(1);
        CountDownLatch mayRead = new CountDownLatch(1);
        AtomicLong writtenWhenFirstRead = new AtomicLong(-1);
        AtomicLong written = new AtomicLong();
        server = TestServer.start(dir, new Router().on("POST", "/images/load", ex -> {
            handlerStarted.countDown();
            mayRead.await();
            InputStream body = ex.body();
            byte[] buf = new byte[100_000];
            CRC32 crc = new CRC32();
            long count = 0;
            for (int n = body.read(buf); n >= 0; n = body.read(buf)) {
                if (count == 0) {
                    writtenWhenFirstRead.set(written.get());
                }
                crc.update(buf, 0, n);
                count += n;
            }
            ex.json(200, Map.of("count", count, "crc", crc.getValue()));
        }));

        try (UnixHttpClient c = server.connect()) {
            CRC32 sent = new CRC32();
            Thread uploader = Thread.ofPlatform().name("uploader").start(() -> {
                try {
                    c.send("POST /v1.44/images/load?quiet=1 HTTP/1.1\r\nHost: docker\r\n"
                            + "Content-Type: application/x-tar\r\nTransfer-Encoding: chunked\r\n\r\n");
                    byte[] data = new byte[CHUNK];
                    for (long off = 0; off < TOTAL; off += CHUNK) {
                        int n = (int) Math.min(CHUNK, TOTAL - off);
                        for (int i = 0; i < n; i++) {
                            data[i] = (byte) ((off + i) * 31 % 251);
                        }
                        sent.update(data, 0, n);
                        c.send((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        c.send(n == CHUNK ? data : java.util.Arrays.copyOf(data, n));
                        c.send("\r\n".getBytes(StandardCharsets.US_ASCII));
                        written.addAndGet(n);
                    }
                    c.send("0\r\n\r\n");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });

            assertTrue(handlerStarted.await(10, TimeUnit.SECONDS), "the handler starts before the body arrived");
            long stalledAt = awaitStall(written);
            // the server stopped reading: what the client got rid of is the server's queue plus socket buffers
            assertTrue(stalledAt < 16L << 20, "the upload stalls while the handler does not read, at " + stalledAt);
            mayRead.countDown();

            UnixHttpClient.Response r = c.read(false);
            uploader.join();
            assertEquals(200, r.status(), r.text());
            JsonNode result = new ObjectMapper().readTree(r.body());
            assertEquals(TOTAL, result.get("count").asLong());
            assertEquals(sent.getValue(), result.get("crc").asLong());
            assertTrue(writtenWhenFirstRead.get() < TOTAL, "the handler reads before the upload ends");
        }
    }

    /** Waits until the uploader has made no progress for half a second and returns how far it got. */
    private static long awaitStall(AtomicLong written) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long last = -1;
        long since = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long now = written.get();
            if (now != last) {
                last = now;
                since = System.nanoTime();
            } else if (System.nanoTime() - since > TimeUnit.MILLISECONDS.toNanos(500)) {
                return now;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the upload never stalled: the server read " + written.get() + " bytes unasked");
    }
}
