package berth.engine.logs;

/** UTF-8 validation by Go's rules ({@code utf8.DecodeRune}), which decide what Docker's log escaping replaces. */
final class Utf8 {
    private Utf8() {
    }

    /**
     * The length (2 to 4) of the valid multi-byte sequence starting at {@code s[i]}, or 0 when it is not one:
     * a stray continuation byte, a truncated sequence, an overlong encoding, a surrogate or a code point above
     * U+10FFFF. Go replaces just the first byte then and tries again from the next.
     */
    static int validSequenceLength(byte[] s, int i, int end) {
        int b0 = s[i] & 0xff;
        int size;
        int lo = 0x80;
        int hi = 0xbf;
        if (b0 >= 0xc2 && b0 <= 0xdf) {
            size = 2;
        } else if (b0 >= 0xe0 && b0 <= 0xef) {
            size = 3;
            if (b0 == 0xe0) {
                lo = 0xa0; // overlong below U+0800
            } else if (b0 == 0xed) {
                hi = 0x9f; // surrogates U+D800..U+DFFF
            }
        } else if (b0 >= 0xf0 && b0 <= 0xf4) {
            size = 4;
            if (b0 == 0xf0) {
                lo = 0x90; // overlong below U+10000
            } else if (b0 == 0xf4) {
                hi = 0x8f; // above U+10FFFF
            }
        } else {
            return 0;
        }
        if (i + size > end) {
            return 0;
        }
        int b1 = s[i + 1] & 0xff;
        if (b1 < lo || b1 > hi) {
            return 0;
        }
        for (int k = 2; k < size; k++) {
            int b = s[i + k] & 0xff;
            if (b < 0x80 || b > 0xbf) {
                return 0;
            }
        }
        return size;
    }
}
