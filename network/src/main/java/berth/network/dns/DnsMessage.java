package berth.network.dns;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.util.List;

/**
 * The little of RFC 1035's message format the embedded server needs: a query read into a {@link Query}, and the
 * responses built from one. Names in a query may use compression pointers (followed, with a bound on the number of
 * jumps); responses use one pointer, from each answer back to the question at offset 12.
 */
final class DnsMessage {
    static final int HEADER = 12;
    static final int TYPE_A = 1, TYPE_AAAA = 28, CLASS_IN = 1;
    static final int NOERROR = 0, FORMERR = 1, SERVFAIL = 2, NXDOMAIN = 3, NOTIMP = 4;

    private static final int QR = 0x8000, OPCODE = 0x7800, RD = 0x0100, RA = 0x0080, CD = 0x0010;
    private static final int MAX_NAME = 255, MAX_JUMPS = 16;

    private DnsMessage() {}

    /** A message that is not a query this server can read; {@link #rcode} is what to answer, if anything. */
    static final class Malformed extends Exception {
        /** The answer's rcode (FORMERR or NOTIMP), or -1 when the message gets no answer (too short, or a response). */
        final int rcode;

        Malformed(String message, int rcode) {
            super(message);
            this.rcode = rcode;
        }
    }

    /**
     * A query's one question.
     *
     * @param id       the header's ID
     * @param flags    the header's flags, as sent
     * @param name     the name asked about: lower-case (ASCII, as DNS compares names), without the trailing dot
     * @param type     QTYPE
     * @param qclass   QCLASS
     * @param question the question section re-encoded without compression, case as sent (copied into responses)
     */
    record Query(int id, int flags, String name, int type, int qclass, byte[] question) {
        Query {
            question = question.clone();
        }

        @Override
        public byte[] question() {
            return question.clone();
        }
    }

    /** Reads a query with exactly one question; the other sections (an EDNS OPT record, say) are ignored. */
    static Query parseQuery(byte[] msg, int length) throws Malformed {
        if (length < HEADER) throw new Malformed("message of " + length + " bytes is shorter than a header", -1);
        int id = u16(msg, 0), flags = u16(msg, 2);
        if ((flags & QR) != 0) throw new Malformed("message is a response", -1);
        if ((flags & OPCODE) != 0) throw new Malformed("opcode " + ((flags & OPCODE) >> 11) + " is not QUERY", NOTIMP);
        int qdcount = u16(msg, 4);
        if (qdcount != 1) throw new Malformed(qdcount + " questions, not 1", FORMERR);

        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        StringBuilder name = new StringBuilder();
        int pos = HEADER, end = -1, jumps = 0;
        while (true) {
            if (pos >= length) throw new Malformed("name runs past the end of the message", FORMERR);
            int len = msg[pos] & 0xff;
            if ((len & 0xc0) == 0xc0) {
                if (pos + 1 >= length) throw new Malformed("compression pointer runs past the end", FORMERR);
                if (++jumps > MAX_JUMPS) throw new Malformed("compression pointers loop", FORMERR);
                if (end < 0) end = pos + 2;
                int target = ((len & 0x3f) << 8) | (msg[pos + 1] & 0xff);
                if (target >= pos) throw new Malformed("compression pointer points forward", FORMERR);
                pos = target;
                continue;
            }
            if ((len & 0xc0) != 0) throw new Malformed("label type " + (len >> 6) + " is not supported", FORMERR);
            if (pos + 1 + len > length) throw new Malformed("label runs past the end of the message", FORMERR);
            wire.write(msg, pos, 1 + len);
            if (wire.size() > MAX_NAME) throw new Malformed("name longer than " + MAX_NAME + " bytes", FORMERR);
            if (len == 0) {
                if (end < 0) end = pos + 1;
                break;
            }
            if (!name.isEmpty()) name.append('.');
            for (int i = pos + 1; i <= pos + len; i++) name.append(lowerAscii((char) (msg[i] & 0xff)));
            pos += 1 + len;
        }
        if (end + 4 > length) throw new Malformed("question has no type and class", FORMERR);
        wire.write(msg, end, 4);
        return new Query(id, flags, name.toString(), u16(msg, end), u16(msg, end + 2), wire.toByteArray());
    }

    /** An answer to {@code q}: one A record per address (for an A query; none for others), NOERROR. */
    static byte[] answer(Query q, List<Inet4Address> addresses, int ttl) {
        List<Inet4Address> records = q.type() == TYPE_A ? addresses : List.of();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        header(out, q, NOERROR, records.size());
        for (Inet4Address a : records) {
            u16(out, 0xc000 | HEADER); // the question's name
            u16(out, TYPE_A);
            u16(out, CLASS_IN);
            u16(out, ttl >>> 16);
            u16(out, ttl & 0xffff);
            u16(out, 4);
            out.writeBytes(a.getAddress());
        }
        return out.toByteArray();
    }

    /** An answer to {@code q} with no records and the rcode (NXDOMAIN, SERVFAIL, ...). */
    static byte[] error(Query q, int rcode) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        header(out, q, rcode, 0);
        return out.toByteArray();
    }

    /**
     * The answer to a message {@link #parseQuery} refused with {@code rcode}: its ID and opcode, no question (it may
     * not have a readable one). Only for messages of at least a header's length.
     */
    static byte[] error(byte[] msg, int rcode) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int flags = u16(msg, 2);
        u16(out, u16(msg, 0));
        u16(out, QR | (flags & (OPCODE | RD)) | RA | rcode);
        for (int i = 0; i < 4; i++) u16(out, 0);
        return out.toByteArray();
    }

    /** The ID of a message (the first two bytes), or -1 if it is too short to have one. */
    static int id(byte[] msg, int length) {
        return length < HEADER ? -1 : u16(msg, 0);
    }

    /** Whether the message is a response (QR set). */
    static boolean isResponse(byte[] msg, int length) {
        return length >= HEADER && (u16(msg, 2) & QR) != 0;
    }

    /** The response code of a message. */
    static int rcode(byte[] msg) {
        return u16(msg, 2) & 0xf;
    }

    private static void header(ByteArrayOutputStream out, Query q, int rcode, int answers) {
        u16(out, q.id());
        u16(out, QR | (q.flags() & (OPCODE | RD | CD)) | RA | rcode);
        u16(out, 1);
        u16(out, answers);
        u16(out, 0);
        u16(out, 0);
        out.writeBytes(q.question());
    }

    private static char lowerAscii(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    static int u16(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write((v >>> 8) & 0xff);
        out.write(v & 0xff);
    }
}
