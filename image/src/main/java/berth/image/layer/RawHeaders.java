package berth.image.layer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * What berth reads itself from the header blocks in front of one tar entry ({@link HeaderCapture}): the
 * {@code SCHILY.xattr.*} PAX records with their values as raw bytes (file capabilities and ACLs are binary;
 * the tar library hands them over decoded as UTF-8, which garbles bytes above 0x7f), and how many bytes of
 * global PAX headers went by, which the library keeps adding up in memory.
 */
record RawHeaders(Map<String, byte[]> xattrs, long globalHeaderBytes) {
    private static final String XATTR = "SCHILY.xattr.";
    private static final int TYPEFLAG = 156, SIZE = 124, SIZE_LENGTH = 12;

    static RawHeaders parse(byte[] h) {
        Map<String, byte[]> xattrs = new TreeMap<>();
        long global = 0;
        int pos = 0;
        while (pos + HeaderCapture.BLOCK <= h.length) {
            char type = (char) h[pos + TYPEFLAG];
            long size = parseSize(h, pos + SIZE);
            int data = pos + HeaderCapture.BLOCK;
            if (size < 0 || size > h.length - data) break;
            switch (type) {
                case 'x', 'X' -> parseRecords(h, data, data + (int) size, xattrs);
                case 'g' -> global += size;
                case 'L', 'K' -> { } // GNU long name or link name
                default -> { return new RawHeaders(xattrs, global); } // the entry's own header
            }
            pos = data + (int) ((size + HeaderCapture.BLOCK - 1) / HeaderCapture.BLOCK * HeaderCapture.BLOCK);
        }
        return new RawHeaders(xattrs, global);
    }

    /** An octal size field, or base-256 when its first byte has the high bit set; -1 if unreadable. */
    private static long parseSize(byte[] h, int at) {
        if ((h[at] & 0x80) != 0) {
            long v = 0;
            for (int i = 1; i < SIZE_LENGTH; i++) {
                if (v > (Long.MAX_VALUE >> 8)) return -1;
                v = (v << 8) | (h[at + i] & 0xff);
            }
            return v;
        }
        long v = 0;
        for (int i = 0; i < SIZE_LENGTH; i++) {
            byte c = h[at + i];
            if (c == 0 || c == ' ') {
                if (v > 0) break;
                continue;
            }
            if (c < '0' || c > '7') return -1;
            v = v * 8 + (c - '0');
        }
        return v;
    }

    /** PAX records {@code "LEN key=value\n"}, LEN counting the whole record; stops at the first malformed one. */
    private static void parseRecords(byte[] h, int from, int to, Map<String, byte[]> xattrs) {
        int p = from;
        while (p < to) {
            int space = indexOf(h, (byte) ' ', p, to);
            if (space < 0 || space - p > 10) return;
            int len;
            try {
                len = Integer.parseInt(new String(h, p, space - p, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                return;
            }
            int end = p + len;
            if (len <= space - p + 2 || end > to || h[end - 1] != '\n') return;
            int eq = indexOf(h, (byte) '=', space + 1, end - 1);
            if (eq < 0) return;
            String key = new String(h, space + 1, eq - space - 1, StandardCharsets.UTF_8);
            if (key.startsWith(XATTR)) xattrs.put(key.substring(XATTR.length()), Arrays.copyOfRange(h, eq + 1, end - 1));
            p = end;
        }
    }

    private static int indexOf(byte[] h, byte b, int from, int to) {
        for (int i = from; i < to; i++) if (h[i] == b) return i;
        return -1;
    }
}
