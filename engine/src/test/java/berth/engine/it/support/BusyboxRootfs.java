package berth.engine.it.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * A busybox root filesystem as a tar for {@code docker import}, made offline from the host's static busybox
 * (Debian's busybox-static): {@code bin/busybox}, a symlink per applet, {@code etc/passwd} and {@code etc/group}.
 */
public final class BusyboxRootfs {
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final String PASSWD = "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n";
    private static final String GROUP = "root:x:0:\nnogroup:x:65534:\n";

    private BusyboxRootfs() {
    }

    /** Writes the tar to {@code tar}; fails the test when the host has no static busybox. */
    public static Path write(Path tar) throws IOException, InterruptedException {
        if (!Files.isExecutable(BUSYBOX)) fail(BUSYBOX + " is needed for the test image (apt-get install busybox-static)");
        List<String> applets = Command.run(List.of(BUSYBOX.toString(), "--list"), Map.of(), Duration.ofSeconds(10)).ok()
                .out().lines().filter(a -> !a.isBlank() && !a.equals("busybox")).toList();
        try (OutputStream file = Files.newOutputStream(tar); TarArchiveOutputStream out = new TarArchiveOutputStream(file)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (String dir : List.of("bin", "etc", "root", "tmp")) directory(out, dir, dir.equals("tmp") ? 01777 : 0755);
            byte[] busybox = Files.readAllBytes(BUSYBOX);
            file(out, "bin/busybox", 0755, busybox);
            for (String applet : applets) {
                TarArchiveEntry link = new TarArchiveEntry("bin/" + applet, TarConstants.LF_SYMLINK);
                link.setLinkName("busybox");
                out.putArchiveEntry(link);
                out.closeArchiveEntry();
            }
            file(out, "etc/passwd", 0644, PASSWD.getBytes(StandardCharsets.UTF_8));
            file(out, "etc/group", 0644, GROUP.getBytes(StandardCharsets.UTF_8));
        }
        return tar;
    }

    private static void directory(TarArchiveOutputStream out, String name, int mode) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name + "/", TarConstants.LF_DIR);
        e.setMode(040000 | mode);
        out.putArchiveEntry(e);
        out.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream out, String name, int mode, byte[] content) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(0100000 | mode);
        e.setSize(content.length);
        out.putArchiveEntry(e);
        out.write(content);
        out.closeArchiveEntry();
    }
}
