package berth.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The C library entry points berth calls. Package-private: nothing outside this package sees a
 * MethodHandle or a MemorySegment.
 *
 * <p>Linking a downcall costs several milliseconds of JVM start-up each, so berth links as few as it can,
 * each on first use (a holder class per handle): every system call goes through the one variadic
 * {@code syscall(2)} wrapper; only {@code posix_spawn} and the errno-text functions are linked apart.
 */
final class Native {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private Native() {}

    /** long syscall(long number, ...); six long arguments, errno captured. */
    private static final class Syscall {
        static final MethodHandle H = LINKER.downcallHandle(LINKER.defaultLookup().find("syscall").orElseThrow(),
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
                Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(1));
    }

    /**
     * int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
     *                 const posix_spawnattr_t *attr, char *const argv[], char *const envp[]);
     */
    private static final class PosixSpawn {
        static final MethodHandle H = LINKER.downcallHandle(LINKER.defaultLookup().find("posix_spawn").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    }

    /** char *strerrorname_np(int errnum); char *strerror(int errnum); */
    private static final class ErrnoText {
        static final MethodHandle NAME = LINKER.defaultLookup().find("strerrorname_np")
                .map(a -> LINKER.downcallHandle(a, FunctionDescriptor.of(ADDRESS, JAVA_INT))).orElse(null);
        static final MethodHandle TEXT = LINKER.downcallHandle(LINKER.defaultLookup().find("strerror").orElseThrow(),
                FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }

    /** A raw system call; on failure throws {@link SysException} with {@code what} and the errno. */
    static long syscall(Arena arena, String what, long nr, long a1, long a2, long a3, long a4, long a5, long a6) {
        MemorySegment capture = arena.allocate(CAPTURE);
        long r;
        try {
            r = (long) Syscall.H.invokeExact(capture, nr, a1, a2, a3, a4, a5, a6);
        } catch (Throwable t) {
            throw new IllegalStateException("syscall " + nr, t);
        }
        if (r == -1) throw new SysException(what, (int) ERRNO.get(capture, 0L));
        return r;
    }

    /** posix_spawn without file actions or attributes; returns the error number (0 on success). */
    static int posixSpawn(MemorySegment pid, MemorySegment path, MemorySegment argv, MemorySegment envp) {
        try {
            return (int) PosixSpawn.H.invokeExact(pid, path, MemorySegment.NULL, MemorySegment.NULL, argv, envp);
        } catch (Throwable t) {
            throw new IllegalStateException("posix_spawn", t);
        }
    }

    static String errnoName(int errno) {
        try {
            if (ErrnoText.NAME == null) return null;
            MemorySegment p = (MemorySegment) ErrnoText.NAME.invokeExact(errno);
            return p.equals(MemorySegment.NULL) ? null : p.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return null;
        }
    }

    static String strerror(int errno) {
        try {
            MemorySegment p = (MemorySegment) ErrnoText.TEXT.invokeExact(errno);
            return p.equals(MemorySegment.NULL) ? null : p.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            return null;
        }
    }
}
