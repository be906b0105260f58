package berth.image.layer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a tar in the POSIX (PAX) format: a ustar header per entry, preceded by a PAX extended header when
 * the entry needs one (a name or link target longer than 100 bytes or not ASCII, numbers too big for their
 * octal fields, extended attributes). Xattr values are written as raw bytes. The same entries always make
 * the same bytes: times are whole seconds, user and group names are left empty, PAX records come in a fixed
 * order, and the end is two zero blocks, as Go's archive/tar writes it.
 */
final class PaxTarWriter {
    private static final int BLOCK = 512;
    private static final long MAX_OCTAL_7 = 07777777L, MAX_OCTAL_11 = 077777777777L;
    private static final String PAX_HEADER_NAME = "././@PaxHeader";

    private final OutputStream out;
    private final byte[] buffer = new byte[1 << 16];

    PaxTarWriter(OutputStream out) {
        this.out = out;
    }

    /** Writes {@code e}; a regular file's {@code content} must hold at least {@code e.size()} bytes. */
    void write(LayerEntry e, InputStream content) throws IOException {
        String name = e.type() == LayerEntry.Type.DIRECTORY ? e.name() + "/" : e.name();
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] linkBytes = e.linkName() == null ? new byte[0] : e.linkName().getBytes(StandardCharsets.UTF_8);
        long size = e.type() == LayerEntry.Type.FILE ? e.size() : 0;
        long mtime = Math.floorDiv(e.mtimeNanos(), 1_000_000_000L);

        Map<String, byte[]> pax = new LinkedHashMap<>();
        if (!fitsUstar(nameBytes)) pax.put("path", nameBytes);
        if (!fitsUstar(linkBytes)) pax.put("linkpath", linkBytes);
        if (size > MAX_OCTAL_11) pax.put("size", ascii(size));
        if (e.uid() > MAX_OCTAL_7) pax.put("uid", ascii(e.uid()));
        if (e.gid() > MAX_OCTAL_7) pax.put("gid", ascii(e.gid()));
        if (mtime < 0 || mtime > MAX_OCTAL_11) pax.put("mtime", ascii(mtime));
        for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) pax.put("SCHILY.xattr." + x.getKey(), x.getValue());
        if (!pax.isEmpty()) writePaxHeader(pax, mtime);

        byte[] h = new byte[BLOCK];
        put(h, 0, 100, nameBytes);
        octal(h, 100, 8, e.mode() & 07777);
        octal(h, 108, 8, e.uid() > MAX_OCTAL_7 ? 0 : e.uid());
        octal(h, 116, 8, e.gid() > MAX_OCTAL_7 ? 0 : e.gid());
        octal(h, 124, 12, size > MAX_OCTAL_11 ? 0 : size);
        octal(h, 136, 12, mtime < 0 || mtime > MAX_OCTAL_11 ? 0 : mtime);
        h[156] = typeflag(e.type());
        put(h, 157, 100, linkBytes);
        put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        octal(h, 329, 8, e.devMajor());
        octal(h, 337, 8, e.devMinor());
        checksum(h);
        out.write(h);
        if (size > 0) copyExactly(content, size);
    }

    /** The end of the archive: two zero blocks. Flushes, does not close. */
    void finish() throws IOException {
        out.write(new byte[2 * BLOCK]);
        out.flush();
    }

    private void writePaxHeader(Map<String, byte[]> records, long mtime) throws IOException {
        java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> r : records.entrySet()) data.write(record(r.getKey(), r.getValue()));
        byte[] h = new byte[BLOCK];
        put(h, 0, 100, PAX_HEADER_NAME.getBytes(StandardCharsets.US_ASCII));
        octal(h, 100, 8, 0644);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, data.size());
        octal(h, 136, 12, mtime < 0 || mtime > MAX_OCTAL_11 ? 0 : mtime);
        h[156] = 'x';
        put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        octal(h, 329, 8, 0);
        octal(h, 337, 8, 0);
        checksum(h);
        out.write(h);
        out.write(data.toByteArray());
        pad(data.size());
    }

    /** {@code "LEN key=value\n"}, LEN counting its own digits too. */
    static byte[] record(String key, byte[] value) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        int base = k.length + value.length + 3; // ' ', '=', '\n'
        int len = base + 1;
        while (base + Integer.toString(len).length() != len) len = base + Integer.toString(len).length();
        byte[] prefix = (len + " " + key + "=").getBytes(StandardCharsets.UTF_8);
        byte[] r = Arrays.copyOf(prefix, len);
        System.arraycopy(value, 0, r, prefix.length, value.length);
        r[len - 1] = '\n';
        return r;
    }

    private void copyExactly(InputStream content, long size) throws IOException {
        long left = size;
        while (left > 0) {
            int n = content.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) throw new IOException("ended after " + (size - left) + " of its " + size + " bytes (changed while read?)");
            out.write(buffer, 0, n);
            left -= n;
        }
        pad(size);
    }

    private void pad(long size) throws IOException {
        int rest = (int) (size % BLOCK);
        if (rest != 0) out.write(new byte[BLOCK - rest]);
    }

    private static byte typeflag(LayerEntry.Type t) {
        return switch (t) {
            case FILE, OTHER -> '0';
            case HARDLINK -> '1';
            case SYMLINK -> '2';
            case CHAR_DEVICE -> '3';
            case BLOCK_DEVICE -> '4';
            case DIRECTORY -> '5';
            case FIFO -> '6';
        };
    }

    private static boolean fitsUstar(byte[] s) {
        if (s.length > 100) return false;
        for (byte b : s) if (b <= 0) return false; // NUL or not ASCII
        return true;
    }

    private static byte[] ascii(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }

    private static void put(byte[] h, int at, int length, byte[] value) {
        System.arraycopy(value, 0, h, at, Math.min(length, value.length));
    }

    /** Zero-padded octal digits filling the field but its last byte, which stays NUL. */
    private static void octal(byte[] h, int at, int length, long value) {
        String digits = Long.toOctalString(value);
        String padded = "0".repeat(Math.max(0, length - 1 - digits.length())) + digits;
        put(h, at, length - 1, padded.getBytes(StandardCharsets.US_ASCII));
    }

    /** The unsigned sum of the header with the checksum field as spaces: six octal digits, NUL, space. */
    private static void checksum(byte[] h) {
        Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : h) sum += b & 0xff;
        octal(h, 148, 7, sum);
        h[154] = 0;
        h[155] = ' ';
    }
}
