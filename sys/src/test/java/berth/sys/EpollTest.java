package berth.sys;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** epoll, eventfd and non-blocking reads of named pipes on the running kernel. */
class EpollTest {
    private static final int S_IFIFO = 0010000;

    private final Syscalls sys = new LinuxSyscalls();
    private final List<Integer> fds = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void closeAll() {
        fds.forEach(sys::close);
    }

    private int keep(int fd) {
        fds.add(fd);
        return fd;
    }

    private Path fifo(String name) {
        Path p = dir.resolve(name);
        sys.mknod(p.toString(), S_IFIFO | 0600, 0, 0);
        return p;
    }

    private static FileChannel writer(Path fifo) throws IOException {
        return FileChannel.open(fifo, StandardOpenOption.WRITE);
    }

    private static void write(FileChannel w, String s) throws IOException {
        w.write(ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII)));
    }

    private String read(int fd, int len) {
        byte[] buf = new byte[len];
        int n = sys.readNonBlocking(fd, buf, 0, len);
        assertTrue(n > 0, "expected data, read returned " + n);
        return new String(buf, 0, n, StandardCharsets.US_ASCII);
    }

    @Test
    void aFifoReadEndOpensWithoutAWriterAndReadsEndOfFileWhileItHasNone() {
        int fd = keep(sys.openNonBlocking(fifo("out").toString()));
        assertEquals(0, sys.readNonBlocking(fd, new byte[16], 0, 16));
    }

    @Test
    void aFifoWithAQuietWriterWouldBlockAndIsNotReady() throws IOException {
        Path p = fifo("out");
        int fd = keep(sys.openNonBlocking(p.toString()));
        int ep = keep(sys.epollCreate());
        sys.epollAdd(ep, fd, Syscalls.EPOLLIN, 7);
        try (FileChannel w = writer(p)) {
            assertEquals(Syscalls.WOULD_BLOCK, sys.readNonBlocking(fd, new byte[16], 0, 16));
            assertEquals(List.of(), sys.epollWait(ep, 8, 0));
        }
    }

    @Test
    void writtenBytesMakeTheFifoReadyWithItsTokenAndPartialReadsLeaveTheRest() throws IOException {
        Path p = fifo("out");
        int fd = keep(sys.openNonBlocking(p.toString()));
        int ep = keep(sys.epollCreate());
        sys.epollAdd(ep, fd, Syscalls.EPOLLIN, 0x1_0000_0042L);
        try (FileChannel w = writer(p)) {
            write(w, "hello world");
            assertEquals(List.of(new Syscalls.EpollEvent(0x1_0000_0042L, Syscalls.EPOLLIN)), sys.epollWait(ep, 8, 1000));
            byte[] buf = new byte[8];
            assertEquals(5, sys.readNonBlocking(fd, buf, 3, 5));
            assertEquals("hello", new String(buf, 3, 5, StandardCharsets.US_ASCII));
            assertEquals(1, sys.epollWait(ep, 8, 0).size(), "level-triggered: still ready while bytes are left");
            assertEquals(" world", read(fd, 64));
            assertEquals(Syscalls.WOULD_BLOCK, sys.readNonBlocking(fd, buf, 0, 8));
        }
    }

    @Test
    void theLastWriterClosingIsAHangUpAfterWhichTheLastBytesAndThenEndOfFileAreRead() throws IOException {
        Path p = fifo("out");
        int fd = keep(sys.openNonBlocking(p.toString()));
        int ep = keep(sys.epollCreate());
        sys.epollAdd(ep, fd, Syscalls.EPOLLIN, 1);
        try (FileChannel w = writer(p)) {
            write(w, "last words\n");
        }
        List<Syscalls.EpollEvent> ready = sys.epollWait(ep, 8, 1000);
        assertEquals(1, ready.size());
        assertEquals(Syscalls.EPOLLIN | Syscalls.EPOLLHUP, ready.getFirst().events());
        assertEquals("last words\n", read(fd, 64));
        assertEquals(0, sys.readNonBlocking(fd, new byte[16], 0, 16));
    }

    @Test
    void modifyingToNoEventsSilencesDataAndDeleteStopsWatching() throws IOException {
        Path p = fifo("out");
        int fd = keep(sys.openNonBlocking(p.toString()));
        int ep = keep(sys.epollCreate());
        sys.epollAdd(ep, fd, Syscalls.EPOLLIN, 3);
        try (FileChannel w = writer(p)) {
            write(w, "x");
            sys.epollModify(ep, fd, 0, 3);
            assertEquals(List.of(), sys.epollWait(ep, 8, 0));
            sys.epollModify(ep, fd, Syscalls.EPOLLIN, 4);
            assertEquals(List.of(new Syscalls.EpollEvent(4, Syscalls.EPOLLIN)), sys.epollWait(ep, 8, 0));
            sys.epollDelete(ep, fd);
            assertEquals(List.of(), sys.epollWait(ep, 8, 0));
        }
    }

    @Test
    void anEventFdWakesAWaitOnAnotherThreadAndReadingItResetsIt() throws Exception {
        int ep = keep(sys.epollCreate());
        int wake = keep(sys.eventFd());
        sys.epollAdd(ep, wake, Syscalls.EPOLLIN, 9);
        CompletableFuture<List<Syscalls.EpollEvent>> waited = CompletableFuture.supplyAsync(() -> sys.epollWait(ep, 8, 10_000));
        Thread.sleep(50);
        byte[] one = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(1).array();
        sys.writeFully(wake, one);
        sys.writeFully(wake, one);
        assertEquals(List.of(new Syscalls.EpollEvent(9, Syscalls.EPOLLIN)), waited.get(5, TimeUnit.SECONDS));
        byte[] count = new byte[8];
        assertEquals(8, sys.readNonBlocking(wake, count, 0, 8));
        assertEquals(2, ByteBuffer.wrap(count).order(ByteOrder.nativeOrder()).getLong());
        assertEquals(Syscalls.WOULD_BLOCK, sys.readNonBlocking(wake, count, 0, 8));
        assertEquals(List.of(), sys.epollWait(ep, 8, 0));
    }

    @Test
    void aDuplicateReadsTheSamePipe() throws IOException {
        Path p = fifo("out");
        int fd = keep(sys.openNonBlocking(p.toString()));
        int copy = keep(sys.dup(fd));
        try (FileChannel w = writer(p)) {
            write(w, "shared");
            assertEquals("shared", read(copy, 64));
            assertEquals(Syscalls.WOULD_BLOCK, sys.readNonBlocking(fd, new byte[8], 0, 8), "the duplicate is non-blocking too");
        }
    }

    @Test
    void failuresNameTheCallAndTheErrno() {
        int ep = keep(sys.epollCreate());
        SysException e = assertThrows(SysException.class, () -> sys.epollAdd(ep, 999_999, Syscalls.EPOLLIN, 1));
        assertEquals(Errno.EBADF, e.errno());
        assertTrue(e.getMessage().startsWith("epoll_ctl add fd 999999 on epoll fd " + ep + ": EBADF"), e.getMessage());
        SysException open = assertThrows(SysException.class, () -> sys.openNonBlocking(dir.resolve("missing").toString()));
        assertTrue(open.getMessage().contains("missing: ENOENT"), open.getMessage());
    }
}
