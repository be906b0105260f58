package berth.cgroups;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The device rules of {@code linux.resources.devices} as an eBPF program of type
 * BPF_PROG_TYPE_CGROUP_DEVICE, which is how cgroup v2 controls device access (runc's devicefilter does the
 * same). The program reads {@code struct bpf_cgroup_dev_ctx {u32 access_type; u32 major; u32 minor;}}
 * (access_type = access << 16 | type) and returns 1 to allow, 0 to deny.
 *
 * <p>Semantics as on cgroup v1: a leading rule for all devices ("a", no numbers) sets the default; of the
 * rules after it, the last one that matches decides.
 */
public final class DeviceFilter {
    static final int TYPE_BLOCK = 1, TYPE_CHAR = 2;
    static final int ACC_MKNOD = 1, ACC_READ = 2, ACC_WRITE = 4;

    // eBPF opcodes (linux/bpf.h, linux/bpf_common.h)
    private static final int LDX_MEM_W = 0x61, ALU32_AND_K = 0x54, ALU32_RSH_K = 0x74, ALU32_MOV_X = 0xbc,
            ALU32_MOV_K = 0xb4, JNE_K = 0x55, JNE_X = 0x5d, EXIT = 0x95;
    private static final int R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R5 = 5;

    private DeviceFilter() {}

    /** The program's instructions (8 bytes each, little-endian), ready for bpf(BPF_PROG_LOAD). */
    public static byte[] compile(List<Resources.DeviceRule> rules) {
        boolean defaultAllow = false;
        List<Resources.DeviceRule> rest = new ArrayList<>(rules);
        if (!rest.isEmpty() && isWildcard(rest.getFirst())) defaultAllow = rest.removeFirst().allow();
        List<long[]> insns = new ArrayList<>();
        // R2 = type, R3 = requested access, R4 = major, R5 = minor
        insns.add(insn(LDX_MEM_W, R2, R1, 0, 0));
        insns.add(insn(ALU32_AND_K, R2, 0, 0, 0xFFFF));
        insns.add(insn(LDX_MEM_W, R3, R1, 0, 0));
        insns.add(insn(ALU32_RSH_K, R3, 0, 0, 16));
        insns.add(insn(LDX_MEM_W, R4, R1, 4, 0));
        insns.add(insn(LDX_MEM_W, R5, R1, 8, 0));
        for (int i = rest.size() - 1; i >= 0; i--) {
            Resources.DeviceRule r = rest.get(i);
            if (isWildcard(r)) {
                // everything from here on is decided by this rule
                insns.add(insn(ALU32_MOV_K, R0, 0, 0, r.allow() ? 1 : 0));
                insns.add(insn(EXIT, 0, 0, 0, 0));
                return encode(insns);
            }
            List<long[]> checks = new ArrayList<>();
            int type = type(r.type());
            if (type != 0) checks.add(new long[] {JNE_K, R2, 0, 0, type});
            int access = access(r.access());
            // the requested access must lie within the rule's: (R3 & access) == R3
            checks.add(new long[] {ALU32_MOV_X, R1, R3, 0, 0});
            checks.add(new long[] {ALU32_AND_K, R1, 0, 0, access});
            checks.add(new long[] {JNE_X, R1, R3, 0, 0});
            if (r.major() != null && r.major() >= 0) checks.add(new long[] {JNE_K, R4, 0, 0, r.major()});
            if (r.minor() != null && r.minor() >= 0) checks.add(new long[] {JNE_K, R5, 0, 0, r.minor()});
            int blockLength = checks.size() + 2;
            for (int j = 0; j < checks.size(); j++) {
                long[] c = checks.get(j);
                boolean jump = c[0] == JNE_K || c[0] == JNE_X;
                // a failed check skips to the next rule's block: past the rest of this one
                insns.add(insn((int) c[0], (int) c[1], (int) c[2], jump ? blockLength - j - 1 : 0, c[4]));
            }
            insns.add(insn(ALU32_MOV_K, R0, 0, 0, r.allow() ? 1 : 0));
            insns.add(insn(EXIT, 0, 0, 0, 0));
        }
        insns.add(insn(ALU32_MOV_K, R0, 0, 0, defaultAllow ? 1 : 0));
        insns.add(insn(EXIT, 0, 0, 0, 0));
        return encode(insns);
    }

    private static boolean isWildcard(Resources.DeviceRule r) {
        return (r.type() == null || r.type().equals("a")) && (r.major() == null || r.major() < 0)
                && (r.minor() == null || r.minor() < 0) && access(r.access()) == (ACC_MKNOD | ACC_READ | ACC_WRITE);
    }

    private static int type(String t) {
        if (t == null || t.equals("a")) return 0;
        return switch (t) {
            case "b" -> TYPE_BLOCK;
            case "c", "u" -> TYPE_CHAR;
            default -> throw new CgroupException("linux.resources.devices: unknown device type \"" + t + "\"");
        };
    }

    private static int access(String a) {
        if (a == null || a.isEmpty()) return ACC_MKNOD | ACC_READ | ACC_WRITE;
        int bits = 0;
        for (char c : a.toCharArray()) {
            bits |= switch (c) {
                case 'r' -> ACC_READ;
                case 'w' -> ACC_WRITE;
                case 'm' -> ACC_MKNOD;
                default -> throw new CgroupException("linux.resources.devices: unknown access \"" + a + "\"");
            };
        }
        return bits;
    }

    private static long[] insn(int op, int dst, int src, int off, long imm) {
        return new long[] {op, dst, src, off, imm};
    }

    private static byte[] encode(List<long[]> insns) {
        ByteBuffer b = ByteBuffer.allocate(insns.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long[] i : insns) {
            b.put((byte) i[0]);
            b.put((byte) ((i[2] << 4) | i[1]));
            b.putShort((short) i[3]);
            b.putInt((int) i[4]);
        }
        return b.array();
    }

    /** Loads a program and attaches it to a cgroup directory (implemented with the bpf(2) system call). */
    @FunctionalInterface
    public interface Loader {
        void attach(java.nio.file.Path cgroupDir, byte[] program);
    }
}
