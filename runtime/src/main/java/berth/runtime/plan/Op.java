package berth.runtime.plan;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One operation of a plan: an opcode the executor knows, its arguments (String, Long or byte[]), and a
 * human description used when the operation fails ("mount proc on /proc"). The factory methods mirror
 * {@code enum op} in executor.c one to one.
 */
public record Op(Code code, String description, List<Object> args) {

    /** The executor's opcodes. The numbers are the wire format; keep them in step with executor.c. */
    public enum Code {
        CLONE(1), SETNS(2), UNSHARE(3), WRITE_FILE(4), WAIT_GO(5), SYNC(6), NOTIFY(7), MOUNT(8), OPEN_ROOT(9),
        MOUNT_IN_ROOT(10), MKDIR_IN_ROOT(11), MKFILE_IN_ROOT(12), SYMLINK_IN_ROOT(13), MKNOD_IN_ROOT(14),
        PIVOT_ROOT(15), CHROOT(16), MASK_PATH(17), READONLY_PATH(18), SETHOSTNAME(19), SETDOMAINNAME(20),
        SETRLIMIT(21), SETSID(22), CONSOLE(23), CHDIR(24), UMASK(25), OPEN_FIFO(26), WAIT_FIFO(27), BOUNDING(28),
        CREDS(29), CAPS(30), NO_NEW_PRIVS(31), SECCOMP(32), CLOSE_FDS(33), RESOLVE_EXEC(34), EXEC(35), SETID(36),
        REMOUNT_IN_ROOT(38), MKFIFO(39);

        final int wire;

        Code(int wire) {
            this.wire = wire;
        }
    }

    public Op {
        args = List.copyOf(args);
    }

    private static Op of(Code code, String description, Object... args) {
        return new Op(code, description, List.of(args));
    }

    /** clone(2); what the executor does afterwards, as the child's parent, is {@code monitor}'s. */
    public static Op cloneProcess(long flags, Monitor monitor) {
        return of(Code.CLONE, "clone", flags, monitor.mode().wire, monitor.statusFile());
    }
    public static Op mkfifo(String path, long mode) { return of(Code.MKFIFO, "mkfifo " + path, path, mode); }
    public static Op setns(String path, long nstype, String type) { return of(Code.SETNS, "join " + type + " namespace " + path, path, nstype); }
    public static Op unshare(long flags, String what) { return of(Code.UNSHARE, "unshare " + what, flags); }
    public static Op writeFile(String path, String content) { return of(Code.WRITE_FILE, "write " + path, path, content); }
    public static Op waitGo() { return of(Code.WAIT_GO, "wait for the runtime"); }
    public static Op sync(String tag) { return of(Code.SYNC, "sync " + tag, tag); }
    public static Op notify(String message) { return of(Code.NOTIFY, "notify " + message, message); }
    public static Op mount(String source, String target, String fstype, long flags, String data, String description) {
        return of(Code.MOUNT, description, source, target, fstype, flags, data);
    }
    public static Op openRoot(String path) { return of(Code.OPEN_ROOT, "open root " + path, path); }
    public static Op mountInRoot(String source, String target, String fstype, long flags, String data, String description) {
        return of(Code.MOUNT_IN_ROOT, description, source, target, fstype, flags, data);
    }
    public static Op remountInRoot(String target, long flags) { return of(Code.REMOUNT_IN_ROOT, "remount " + target, target, flags); }
    public static Op mkdirInRoot(String path, long mode) { return of(Code.MKDIR_IN_ROOT, "mkdir " + path, path, mode); }
    public static Op mkfileInRoot(String path, long mode) { return of(Code.MKFILE_IN_ROOT, "create " + path, path, mode); }
    public static Op symlinkInRoot(String target, String path) { return of(Code.SYMLINK_IN_ROOT, "symlink " + path + " -> " + target, target, path); }
    public static Op mknodInRoot(String path, long mode, long major, long minor, long uid, long gid) {
        return of(Code.MKNOD_IN_ROOT, "mknod " + path, path, mode, major, minor, uid, gid);
    }
    public static Op pivotRoot(String rootfs) { return of(Code.PIVOT_ROOT, "pivot_root to " + rootfs, rootfs); }
    public static Op chroot(String rootfs) { return of(Code.CHROOT, "chroot to " + rootfs, rootfs); }
    public static Op maskPath(String path) { return of(Code.MASK_PATH, "mask " + path, path); }
    public static Op readonlyPath(String path) { return of(Code.READONLY_PATH, "make " + path + " read-only", path); }
    public static Op sethostname(String name) { return of(Code.SETHOSTNAME, "sethostname " + name, name); }
    public static Op setdomainname(String name) { return of(Code.SETDOMAINNAME, "setdomainname " + name, name); }
    public static Op setrlimit(int resource, long soft, long hard, String name) {
        return of(Code.SETRLIMIT, "setrlimit " + name, (long) resource, soft, hard);
    }
    public static Op setsid() { return of(Code.SETSID, "setsid"); }
    public static Op console(String socketPath, int rows, int cols, String consolePath) {
        return of(Code.CONSOLE, "send the console to " + socketPath, socketPath, (long) rows, (long) cols, consolePath);
    }
    public static Op chdir(String path) { return of(Code.CHDIR, "chdir to " + path, path); }
    public static Op umask(long mask) { return of(Code.UMASK, "umask", mask); }
    public static Op openFifo(String path) { return of(Code.OPEN_FIFO, "open " + path, path); }
    public static Op waitFifo() { return of(Code.WAIT_FIFO, "wait for start"); }
    public static Op bounding(long keep) { return of(Code.BOUNDING, "drop bounding capabilities", keep); }
    public static Op creds(long uid, long gid, List<Long> groups) {
        String g = groups == null ? "-" : String.join(",", groups.stream().map(String::valueOf).toList());
        return of(Code.CREDS, "set user " + uid + ":" + gid, uid, gid, g);
    }
    public static Op caps(long effective, long permitted, long inheritable, long ambient) {
        return of(Code.CAPS, "set capabilities", effective, permitted, inheritable, ambient);
    }
    public static Op noNewPrivs() { return of(Code.NO_NEW_PRIVS, "set no_new_privs"); }
    public static Op seccomp(int flags, byte[] filter) { return of(Code.SECCOMP, "load the seccomp filter", (long) flags, filter); }
    public static Op closeFds(int first) { return of(Code.CLOSE_FDS, "close inherited file descriptors", (long) first); }
    public static Op resolveExec(String name, String path) { return of(Code.RESOLVE_EXEC, "find executable \"" + name + "\"", name, path); }
    public static Op exec(List<String> argv, List<String> env) {
        List<Object> a = new ArrayList<>();
        a.add((long) argv.size());
        a.addAll(argv);
        a.addAll(env);
        return new Op(Code.EXEC, "exec " + argv.getFirst(), a);
    }
    public static Op setid(long uid, long gid) { return of(Code.SETID, "become " + uid + ":" + gid, uid, gid); }

    /** Appends this operation in the executor's wire format. */
    void encode(ByteArrayOutputStream out) {
        out.writeBytes(le32(code.wire));
        out.writeBytes(le32(args.size()));
        for (Object a : args) {
            byte[] b = switch (a) {
                case String s -> nulTerminated(s);
                case Long l -> ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(l).array();
                case byte[] raw -> raw;
                default -> throw new IllegalArgumentException("unsupported plan argument " + a.getClass());
            };
            out.writeBytes(le32(b.length));
            out.writeBytes(b);
        }
    }

    private static byte[] nulTerminated(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, b.length);
        return out;
    }

    private static byte[] le32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    @Override
    public String toString() {
        return code + " " + description;
    }
}
