package berth.image.layer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.function.Consumer;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds test layers with commons-compress: one call per entry, an optional tweak of the entry's header. */
final class TestTar {
    static final Instant MTIME = Instant.parse("2021-03-04T05:06:07Z");

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar;

    TestTar() {
        tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
    }

    TestTar dir(String name) {
        return dir(name, e -> {});
    }

    TestTar dir(String name, Consumer<TarArchiveEntry> tweak) {
        return add(entry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, 0755), null, tweak);
    }

    TestTar file(String name, String content) {
        return file(name, content, e -> {});
    }

    TestTar file(String name, String content, Consumer<TarArchiveEntry> tweak) {
        return add(entry(name, TarConstants.LF_NORMAL, 0644), content.getBytes(StandardCharsets.UTF_8), tweak);
    }

    TestTar symlink(String name, String target) {
        return symlink(name, target, e -> {});
    }

    TestTar symlink(String name, String target, Consumer<TarArchiveEntry> tweak) {
        TarArchiveEntry e = entry(name, TarConstants.LF_SYMLINK, 0777);
        e.setLinkName(target);
        return add(e, null, tweak);
    }

    TestTar hardlink(String name, String target) {
        TarArchiveEntry e = entry(name, TarConstants.LF_LINK, 0644);
        e.setLinkName(target);
        return add(e, null, x -> {});
    }

    TestTar device(String name, byte type, int major, int minor, int mode) {
        TarArchiveEntry e = entry(name, type, mode);
        e.setDevMajor(major);
        e.setDevMinor(minor);
        return add(e, null, x -> {});
    }

    TestTar fifo(String name, int mode) {
        return add(entry(name, TarConstants.LF_FIFO, mode), null, x -> {});
    }

    byte[] build() {
        try {
            tar.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Absolute names are kept as they are (the unpacker is what must cope with them). */
    private static TarArchiveEntry entry(String name, byte type, int mode) {
        TarArchiveEntry e = new TarArchiveEntry(name, type, true);
        e.setMode(mode);
        e.setLastModifiedTime(FileTime.from(MTIME));
        return e;
    }

    private TestTar add(TarArchiveEntry e, byte[] content, Consumer<TarArchiveEntry> tweak) {
        try {
            if (content != null) e.setSize(content.length);
            tweak.accept(e);
            tar.putArchiveEntry(e);
            if (content != null) tar.write(content);
            tar.closeArchiveEntry();
            return this;
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }
}
