package berth.image.layer;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import berth.sys.SysException;
import berth.sys.Syscalls;

/**
 * Unpacks a layer blob (tar, tar+gzip or tar+zstd; PAX, GNU and old formats) into a directory and returns
 * the layer's diffID, the sha256 of the uncompressed tar, computed as it is read. The layer is hostile
 * input: names are normalised and may not climb out, no parent directory is reached through a symbolic link
 * the layer wrote, hard links must point at files already inside, every metadata call acts on the path
 * itself, and a tar header may not be larger than {@value #MAX_HEADER_BYTES} bytes. A refused or failed
 * entry stops the unpacking with a {@link LayerException} naming it; the directory is then half-written, for
 * the caller to throw away. One unpacker may unpack several layers at once, each into its own directory.
 */
public final class LayerUnpacker {
    /** The most bytes of headers (PAX extended header, GNU long names) in front of one entry. */
    static final int MAX_HEADER_BYTES = 1 << 20;
    /** The most bytes of global PAX headers in one layer (the tar library keeps them all in memory). */
    static final long MAX_GLOBAL_HEADER_BYTES = 1 << 20;
    private static final String XATTR_PREFIX = "SCHILY.xattr.";
    private static final System.Logger LOG = System.getLogger(LayerUnpacker.class.getName());

    private final Syscalls sys;
    private final Consumer<String> warnings;

    /** Warnings (an xattr the file system refused, an entry type skipped) go to the system logger. */
    public LayerUnpacker(Syscalls sys) {
        this(sys, w -> LOG.log(System.Logger.Level.WARNING, w));
    }

    /** @param warnings told, one line each, what was skipped without failing the layer */
    public LayerUnpacker(Syscalls sys, Consumer<String> warnings) {
        this.sys = sys;
        this.warnings = warnings;
    }

    /**
     * Reads {@code layerBlob} to its end (without closing it) and unpacks it into the existing directory
     * {@code dir}, treating whiteouts as {@code mode} says.
     */
    public UnpackResult unpack(InputStream layerBlob, Path dir, WhiteoutMode mode) throws IOException {
        LayerRoot root = LayerRoot.open(dir, sys);
        EntryWriter writer = new EntryWriter(sys, root, warnings);
        Whiteouts whiteouts = new Whiteouts(mode, sys, root, writer, warnings);
        InputStream blob = new BufferedInputStream(new KeepOpen(layerBlob), 1 << 16);
        try (InputStream uncompressed = Compression.detect(blob).decompress(blob)) {
            DigestingInputStream tarBytes = new DigestingInputStream(uncompressed);
            HeaderCapture headers = new HeaderCapture(tarBytes, MAX_HEADER_BYTES);
            String last = readEntries(new TarArchiveInputStream(headers, StandardCharsets.UTF_8.name()), headers, writer, whiteouts);
            try {
                tarBytes.drain();
            } catch (IOException e) {
                throw new LayerException("layer: reading the end of the tar after entry " + LayerException.quote(last)
                        + ": " + LayerException.describe(e), e);
            }
            writer.finish();
            return new UnpackResult(tarBytes.digest(), tarBytes.size());
        }
    }

    /** Unpacks every entry; returns the name of the last. */
    private String readEntries(TarArchiveInputStream tar, HeaderCapture headers, EntryWriter writer, Whiteouts whiteouts)
            throws IOException {
        String previous = "";
        long globalHeaderBytes = 0;
        while (true) {
            TarArchiveEntry t;
            RawHeaders raw;
            headers.begin();
            try {
                t = tar.getNextEntry();
                raw = RawHeaders.parse(headers.end());
            } catch (IOException | RuntimeException e) {
                throw new LayerException("layer: bad tar header after entry " + LayerException.quote(previous) + ": "
                        + LayerException.describe(e), e);
            }
            if (t == null) return previous;
            globalHeaderBytes += raw.globalHeaderBytes();
            if (globalHeaderBytes > MAX_GLOBAL_HEADER_BYTES) {
                throw LayerException.entry(t.getName(), "global PAX headers of more than " + MAX_GLOBAL_HEADER_BYTES + " bytes");
            }
            try {
                unpackEntry(entry(t, raw), tar, writer, whiteouts);
                tar.transferTo(OutputStream.nullOutputStream()); // whatever content the entry type does not use
            } catch (IOException | SysException | InvalidPathException | UncheckedIOException e) {
                throw LayerException.entry(t.getName(), e);
            }
            previous = t.getName();
        }
    }

    private void unpackEntry(LayerEntry e, InputStream content, EntryWriter writer, Whiteouts whiteouts) throws IOException {
        if (e.name().isEmpty()) {
            // the layer root itself: its owner and mode are the snapshot's business, not the layer's
            if (e.type() != LayerEntry.Type.DIRECTORY) {
                warnings.accept("layer entry " + LayerException.quote(e.rawName()) + ": skipped, names the layer root");
            }
        } else if (Whiteouts.isWhiteout(e.name())) {
            whiteouts.apply(e);
        } else {
            writer.write(e, content);
        }
    }

    private static LayerEntry entry(TarArchiveEntry t, RawHeaders raw) throws LayerException {
        String name = EntryName.normalise(t.getName());
        long mtime = nanos(t.getLastModifiedTime());
        FileTime atime = t.getLastAccessTime();
        SortedMap<String, byte[]> xattrs = new TreeMap<>();
        for (Map.Entry<String, String> h : t.getExtraPaxHeaders().entrySet()) {
            if (!h.getKey().startsWith(XATTR_PREFIX)) continue;
            String xattr = h.getKey().substring(XATTR_PREFIX.length());
            byte[] value = raw.xattrs().get(xattr);
            xattrs.put(xattr, value != null ? value : h.getValue().getBytes(StandardCharsets.UTF_8));
        }
        return new LayerEntry(name, t.getName(), typeOf(t), t.getMode() & 07777, t.getLongUserId(), t.getLongGroupId(),
                mtime, atime != null ? nanos(atime) : mtime, t.getRealSize(), t.getLinkName(), t.getDevMajor(),
                t.getDevMinor(), xattrs);
    }

    private static LayerEntry.Type typeOf(TarArchiveEntry t) {
        return switch (t.getLinkFlag()) {
            case '1' -> LayerEntry.Type.HARDLINK;
            case '2' -> LayerEntry.Type.SYMLINK;
            case '3' -> LayerEntry.Type.CHAR_DEVICE;
            case '4' -> LayerEntry.Type.BLOCK_DEVICE;
            case '5' -> LayerEntry.Type.DIRECTORY;
            case '6' -> LayerEntry.Type.FIFO;
            // regular ('0', and NUL in old tars), contiguous ('7'), GNU sparse ('S', expanded by the reader)
            case '0', 0, '7', 'S' -> t.getName().endsWith("/") ? LayerEntry.Type.DIRECTORY : LayerEntry.Type.FILE;
            default -> LayerEntry.Type.OTHER;
        };
    }

    private static long nanos(FileTime t) {
        return t.to(TimeUnit.NANOSECONDS);
    }

    /** Leaves the caller's stream open when the decompressor is closed. */
    private static final class KeepOpen extends FilterInputStream {
        KeepOpen(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // the caller's
        }
    }
}
