package berth.network.dns;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DnsMessageTest {
    private static final HexFormat HEX = HexFormat.of();

    /** A query as a stub resolver sends it: header, then the question. */
    static byte[] query(int id, int flags, int qdcount, String name, int type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{(byte) (id >> 8), (byte) id, (byte) (flags >> 8), (byte) flags,
                (byte) (qdcount >> 8), (byte) qdcount, 0, 0, 0, 0, 0, 0});
        for (String label : name.split("\\.")) {
            if (label.isEmpty()) continue;
            out.write(label.length());
            out.writeBytes(label.getBytes());
        }
        out.write(0);
        out.writeBytes(new byte[]{(byte) (type >> 8), (byte) type, 0, 1});
        return out.toByteArray();
    }

    static Inet4Address ip(String s) {
        return (Inet4Address) InetAddress.ofLiteral(s);
    }

    @Test
    void readsTheQuestionLowerCasedAndKeepsItsBytesAsSent() throws Exception {
        byte[] msg = query(0xbeef, 0x0100, 1, "Beta.Example.", DnsMessage.TYPE_A);
        DnsMessage.Query q = DnsMessage.parseQuery(msg, msg.length);
        assertEquals(0xbeef, q.id());
        assertEquals("beta.example", q.name());
        assertEquals(DnsMessage.TYPE_A, q.type());
        assertEquals(DnsMessage.CLASS_IN, q.qclass());
        assertEquals("04426574610745" + "78616d706c6500" + "00010001", HEX.formatHex(q.question()));
    }

    @Test
    void readsTheRootNameAndIgnoresAnOptRecord() throws Exception {
        byte[] q = query(7, 0, 1, ".", 2);
        byte[] withOpt = new byte[q.length + 11];
        System.arraycopy(q, 0, withOpt, 0, q.length);
        withOpt[11] = 1; // ARCOUNT: an EDNS OPT record follows
        System.arraycopy(HEX.parseHex("0000291000000000000000"), 0, withOpt, q.length, 11);
        DnsMessage.Query parsed = DnsMessage.parseQuery(withOpt, withOpt.length);
        assertEquals("", parsed.name());
        assertEquals(2, parsed.type());
    }

    @Test
    void followsACompressionPointer() throws Exception {
        // The ID's bytes happen to be the label "x" and the flags' first byte the end of a name: "www" then a pointer
        // to offset 0 reads "www.x".
        byte[] msg = HEX.parseHex("0178" + "0000" + "0001" + "000000000000" + "03777777" + "c000" + "00010001");
        DnsMessage.Query q = DnsMessage.parseQuery(msg, msg.length);
        assertEquals("www.x", q.name());
        assertEquals(DnsMessage.TYPE_A, q.type());
        assertEquals("03777777" + "017800" + "00010001", HEX.formatHex(q.question()), "re-encoded without the pointer");
    }

    @Test
    void refusesWhatIsNoQuery() {
        assertEquals(-1, malformed(new byte[11]).rcode, "shorter than a header: no answer");
        assertEquals(-1, malformed(query(1, 0x8000, 1, "a", 1)).rcode, "a response: no answer");
        assertEquals(DnsMessage.NOTIMP, malformed(query(1, 0x1000, 1, "a", 1)).rcode, "opcode STATUS");
        assertEquals(DnsMessage.FORMERR, malformed(query(1, 0, 2, "a", 1)).rcode, "two questions");
        assertEquals(DnsMessage.FORMERR, malformed(query(1, 0, 0, "a", 1)).rcode, "no question");
        assertEquals(DnsMessage.FORMERR, malformed(HEX.parseHex("000100000001000000000000" + "05616263")).rcode, "label past the end");
        assertEquals(DnsMessage.FORMERR, malformed(HEX.parseHex("000100000001000000000000" + "0161" + "c00c" + "00010001")).rcode, "pointer loop");
        assertEquals(DnsMessage.FORMERR, malformed(HEX.parseHex("000100000001000000000000" + "016100" + "0001")).rcode, "no class");
        assertEquals(DnsMessage.FORMERR, malformed(HEX.parseHex("000100000001000000000000" + "4161" + "00010001")).rcode, "label type 01");
        byte[] tooLong = query(1, 0, 1, ("a".repeat(63) + ".").repeat(5), 1);
        assertEquals(DnsMessage.FORMERR, malformed(tooLong).rcode, "name over 255 bytes");
    }

    private static DnsMessage.Malformed malformed(byte[] msg) {
        return assertThrows(DnsMessage.Malformed.class, () -> DnsMessage.parseQuery(msg, msg.length));
    }

    @Test
    void answersAnAQueryWithOneRecordPerAddressPointingAtTheQuestion() throws Exception {
        byte[] msg = query(0x1234, 0x0100, 1, "Beta", DnsMessage.TYPE_A);
        byte[] a = DnsMessage.answer(DnsMessage.parseQuery(msg, msg.length), List.of(ip("10.1.2.3"), ip("10.9.8.7")), 600);
        assertEquals("1234" + "8180" + "0001" + "0002" + "0000" + "0000"
                        + "0442657461" + "00" + "00010001"
                        + "c00c" + "0001" + "0001" + "00000258" + "0004" + "0a010203"
                        + "c00c" + "0001" + "0001" + "00000258" + "0004" + "0a090807",
                HEX.formatHex(a));
    }

    @Test
    void answersOtherTypesOfAKnownNameWithNoRecords() throws Exception {
        byte[] msg = query(9, 0x0000, 1, "beta", DnsMessage.TYPE_AAAA);
        byte[] a = DnsMessage.answer(DnsMessage.parseQuery(msg, msg.length), List.of(ip("10.1.2.3")), 600);
        assertEquals("0009" + "8080" + "0001" + "0000" + "0000" + "0000" + "046265746100" + "001c0001", HEX.formatHex(a));
    }

    @Test
    void errorsCopyTheQuestionOrJustTheHeader() throws Exception {
        byte[] msg = query(0x4242, 0x0110, 1, "nope", DnsMessage.TYPE_A); // RD and CD
        byte[] nx = DnsMessage.error(DnsMessage.parseQuery(msg, msg.length), DnsMessage.NXDOMAIN);
        assertEquals("4242" + "8193" + "0001" + "0000" + "0000" + "0000" + "046e6f706500" + "00010001", HEX.formatHex(nx));
        assertEquals(DnsMessage.NXDOMAIN, DnsMessage.rcode(nx));

        byte[] two = query(0x0102, 0x0100, 2, "a", 1);
        assertArrayEquals(HEX.parseHex("0102" + "8181" + "0000" + "0000" + "0000" + "0000"), DnsMessage.error(two, DnsMessage.FORMERR));
        assertEquals(0x0102, DnsMessage.id(two, two.length));
        assertEquals(-1, DnsMessage.id(two, 1));
    }
}
