package berth.cgroups;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generated eBPF program, run in a small interpreter of the instructions it uses. */
class DeviceFilterTest {
    private static final int CHAR = DeviceFilter.TYPE_CHAR, BLOCK = DeviceFilter.TYPE_BLOCK;
    private static final int R = DeviceFilter.ACC_READ, W = DeviceFilter.ACC_WRITE, M = DeviceFilter.ACC_MKNOD;

    /** Runs the program on (type, access, major, minor); returns R0. */
    static int run(byte[] prog, int type, int access, int major, int minor) {
        long[] reg = new long[11];
        int[] ctx = {(access << 16) | type, major, minor};
        ByteBuffer b = ByteBuffer.wrap(prog).order(ByteOrder.LITTLE_ENDIAN);
        int pc = 0, steps = 0;
        while (steps++ < 10_000) {
            int op = b.get(pc * 8) & 0xff, regs = b.get(pc * 8 + 1) & 0xff;
            int dst = regs & 0xf, src = regs >> 4;
            short off = b.getShort(pc * 8 + 2);
            int imm = b.getInt(pc * 8 + 4);
            pc++;
            switch (op) {
                case 0x61 -> { assertEquals(1, src); reg[dst] = ctx[off / 4] & 0xffffffffL; }
                case 0x54 -> reg[dst] = (reg[dst] & imm) & 0xffffffffL;
                case 0x74 -> reg[dst] = (reg[dst] & 0xffffffffL) >>> imm;
                case 0xbc -> reg[dst] = reg[src] & 0xffffffffL;
                case 0xb4 -> reg[dst] = imm & 0xffffffffL;
                case 0x55 -> { if (reg[dst] != (imm & 0xffffffffL)) pc += off; }
                case 0x5d -> { if (reg[dst] != reg[src]) pc += off; }
                case 0x95 -> { return (int) reg[0]; }
                default -> throw new AssertionError("unexpected opcode " + op);
            }
            assertTrue(pc >= 0 && pc * 8 < prog.length, "jump out of the program");
        }
        throw new AssertionError("no exit");
    }

    private static Resources.DeviceRule allow(String type, Long major, Long minor, String access) {
        return new Resources.DeviceRule(true, type, major, minor, access);
    }

    @Test
    void denyAllThenRuncsDefaultsAllowOnlyThose() {
        byte[] p = DeviceFilter.compile(List.of(new Resources.DeviceRule(false, null, null, null, "rwm"),
                allow("c", null, null, "m"), allow("b", null, null, "m"), allow("c", 1L, 3L, "rwm"), allow("c", 136L, null, "rwm")));
        assertEquals(1, run(p, CHAR, R | W, 1, 3));        // /dev/null
        assertEquals(0, run(p, CHAR, R, 1, 11));            // /dev/kmsg
        assertEquals(1, run(p, CHAR, M, 1, 11));            // mknod of anything
        assertEquals(1, run(p, BLOCK, M, 8, 0));
        assertEquals(0, run(p, BLOCK, R, 8, 0));            // reading a disk
        assertEquals(1, run(p, CHAR, R | W, 136, 7));       // any pty
        assertEquals(0, run(p, CHAR, R | M, 1, 11));        // mknod and read together: read is not allowed
    }

    @Test
    void laterRulesWinAndTheDefaultCanAllow() {
        byte[] p = DeviceFilter.compile(List.of(new Resources.DeviceRule(true, "a", null, null, "rwm"),
                new Resources.DeviceRule(false, "c", 1L, 11L, "rwm"), allow("c", 1L, 11L, "r")));
        assertEquals(1, run(p, BLOCK, R | W, 8, 0));        // default allow
        assertEquals(1, run(p, CHAR, R, 1, 11));            // the later allow wins for reads
        assertEquals(0, run(p, CHAR, W, 1, 11));            // writes stay denied
    }

    @Test
    void noRulesDenyEverything() {
        byte[] p = DeviceFilter.compile(List.of());
        assertEquals(0, run(p, CHAR, R, 1, 3));
    }
}
