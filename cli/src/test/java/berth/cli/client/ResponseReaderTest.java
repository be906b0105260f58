package berth.cli.client;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResponseReaderTest {
    private static HttpResponse read(String raw, String method) throws IOException {
        InputStream in = new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1));
        return ResponseReader.read(in, method, () -> {});
    }

    private static String body(HttpResponse r) throws IOException {
        return new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void contentLengthBodyStopsAtItsLength() throws IOException {
        HttpResponse r = read("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nApi-Version: 1.41\r\n\r\nhelloEXTRA", "GET");
        assertEquals(200, r.status());
        assertEquals("OK", r.reason());
        assertEquals("1.41", r.header("api-version"));
        assertEquals("hello", body(r));
    }

    @Test
    void chunkedBodyWithExtensionsAndTrailers() throws IOException {
        HttpResponse r = read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4;ext=1\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-Trailer: y\r\n\r\nNEXT", "GET");
        assertEquals("Wikipedia in\r\n\r\nchunks.", body(r));
    }

    @Test
    void bodyWithoutLengthRunsToTheEndOfTheConnection() throws IOException {
        assertEquals("streamed\nlines\n", body(read("HTTP/1.0 200 OK\nContent-Type: text/plain\n\nstreamed\nlines\n", "GET")));
    }

    @Test
    void noBodyForHeadAnd204() throws IOException {
        assertEquals("", body(read("HTTP/1.1 200 OK\r\nContent-Length: 10\r\nX-Docker-Container-Path-Stat: e30=\r\n\r\n", "HEAD")));
        assertEquals("", body(read("HTTP/1.1 204 No Content\r\n\r\nleftover", "POST")));
    }

    @Test
    void switchingProtocolsKeepsTheBytesReadAhead() throws IOException {
        HttpResponse r = read("HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0002hi", "POST");
        assertEquals(101, r.status());
        byte[] raw = r.body().readAllBytes();
        assertEquals(10, raw.length);
        assertEquals("hi", new String(raw, 8, 2, StandardCharsets.US_ASCII));
    }

    @Test
    void repeatedHeadersAreJoined() throws IOException {
        assertEquals("a, b", read("HTTP/1.1 200 OK\r\nWarning: a\r\nwarning: b\r\nContent-Length: 0\r\n\r\n", "GET").header("Warning"));
    }

    @Test
    void malformedAndTruncatedResponsesFail() throws IOException {
        assertTrue(assertThrows(IOException.class, () -> read("SSH-2.0-OpenSSH\r\n\r\n", "GET")).getMessage().contains("malformed HTTP status line"));
        assertThrows(IOException.class, () -> read("", "GET"));
        HttpResponse shortBody = read("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", "GET");
        assertThrows(EOFException.class, () -> shortBody.body().readAllBytes());
        HttpResponse badChunk = read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "GET");
        assertTrue(assertThrows(IOException.class, () -> badChunk.body().readAllBytes()).getMessage().contains("malformed chunk size"));
        HttpResponse cut = read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", "GET");
        assertThrows(EOFException.class, () -> cut.body().readAllBytes());
    }
}
