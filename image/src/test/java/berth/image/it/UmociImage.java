package berth.image.it;

import berth.image.archive.TarWriting;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A three-layer OCI image made by umoci, a tool that is not berth, so berth's reader is tested honestly:
 * <ol>
 *   <li>busybox at /bin/busybox with /bin/sh, /etc/passwd, /data/keep, /data/gone, /opq/old, and /bin/ro
 *       (mode 4755, owner 1000:1000);</li>
 *   <li>/data/gone deleted (umoci writes the whiteout {@code data/.wh.gone}), /data/added created;</li>
 *   <li>a layer added verbatim that makes /opq opaque ({@code opq/.wh..wh..opq}) and adds /opq/new.</li>
 * </ol>
 * The config's command is {@code /bin/sh -c "echo hello"}.
 */
public final class UmociImage {
    public static final String TAG = "t";
    private final Path layout;

    private UmociImage(Path layout) {
        this.layout = layout;
    }

    public Path layout() {
        return layout;
    }

    public static UmociImage build(Path work) throws IOException {
        Path layout = work.resolve("layout");
        Path bundle = work.resolve("bundle");
        run(work, "umoci", "init", "--layout", layout.toString());
        run(work, "umoci", "new", "--image", layout + ":" + TAG);
        run(work, "umoci", "unpack", "--image", layout + ":" + TAG, bundle.toString());
        Path root = bundle.resolve("rootfs");
        Files.createDirectories(root.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"));
        Files.createSymbolicLink(root.resolve("bin/sh"), Path.of("busybox"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.createDirectories(root.resolve("data"));
        Files.writeString(root.resolve("data/keep"), "keep\n");
        Files.writeString(root.resolve("data/gone"), "gone\n");
        Files.createDirectories(root.resolve("opq"));
        Files.writeString(root.resolve("opq/old"), "old\n");
        Files.writeString(root.resolve("bin/ro"), "#!/bin/sh\n");
        run(work, "chown", "1000:1000", root.resolve("bin/ro").toString());
        run(work, "chmod", "4755", root.resolve("bin/ro").toString());
        run(work, "umoci", "repack", "--image", layout + ":" + TAG, bundle.toString());
        run(work, "rm", "-rf", bundle.toString());

        run(work, "umoci", "unpack", "--image", layout + ":" + TAG, bundle.toString());
        Files.delete(bundle.resolve("rootfs/data/gone"));
        Files.writeString(bundle.resolve("rootfs/data/added"), "added\n");
        run(work, "umoci", "repack", "--image", layout + ":" + TAG, bundle.toString());
        run(work, "rm", "-rf", bundle.toString());

        Path opaque = work.resolve("opaque.tar");
        try (OutputStream o = Files.newOutputStream(opaque); TarArchiveOutputStream tar = new TarArchiveOutputStream(o)) {
            TarWriting.directory(tar, "opq/", 040755);
            TarWriting.file(tar, "opq/.wh..wh..opq", new byte[0], 0100644);
            TarWriting.file(tar, "opq/new", "new\n".getBytes(StandardCharsets.UTF_8), 0100644);
        }
        run(work, "umoci", "raw", "add-layer", "--image", layout + ":" + TAG, opaque.toString());
        run(work, "umoci", "config", "--image", layout + ":" + TAG, "--config.cmd=/bin/sh", "--config.cmd=-c",
                "--config.cmd=echo hello", "--config.env=FROM_UMOCI=1");
        run(work, "umoci", "gc", "--layout", layout.toString());
        return new UmociImage(layout);
    }

    /** Runs a command in {@code dir}; a failure throws with its output. */
    public static String run(Path dir, String... cmd) throws IOException {
        Process p = new ProcessBuilder(List.of(cmd)).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", cmd));
        }
        return out;
    }
}
