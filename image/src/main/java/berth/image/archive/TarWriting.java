package berth.image.archive;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;

/** Small entries for the tarballs berth writes (archives, and layers made in tests and AOT training). */
public final class TarWriting {
    private TarWriting() {}

    /** A regular file {@code name} holding {@code content}, with tar mode field {@code mode}. */
    public static void file(TarArchiveOutputStream tar, String name, byte[] content, int mode) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(content.length);
        e.setMode(mode);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    /** A directory {@code name} (ending in '/'), with tar mode field {@code mode}. */
    public static void directory(TarArchiveOutputStream tar, String name, int mode) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(mode);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }
}
