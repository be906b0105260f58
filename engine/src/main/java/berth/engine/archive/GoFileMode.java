package berth.engine.archive;

/**
 * Go's {@code os.FileMode} bits, which the Docker API uses for file modes ({@code X-Docker-Container-Path-Stat}):
 * the nine permission bits as they are, the file type and the setuid, setgid and sticky bits moved to the top
 * of a 32-bit word, as Go's {@code fillFileStatFromSys} does on Linux.
 */
final class GoFileMode {
    static final long DIR = 1L << 31, SYMLINK = 1L << 27, DEVICE = 1L << 26, NAMED_PIPE = 1L << 25,
            SOCKET = 1L << 24, SETUID = 1L << 23, SETGID = 1L << 22, CHAR_DEVICE = 1L << 21, STICKY = 1L << 20;

    static final int S_IFMT = 0170000, S_IFSOCK = 0140000, S_IFLNK = 0120000, S_IFREG = 0100000,
            S_IFBLK = 0060000, S_IFDIR = 0040000, S_IFCHR = 0020000, S_IFIFO = 0010000;
    static final int S_ISUID = 04000, S_ISGID = 02000, S_ISVTX = 01000;

    private GoFileMode() {}

    /** The Go FileMode of a Linux {@code st_mode}. */
    static long of(int stMode) {
        long m = stMode & 0777;
        m |= switch (stMode & S_IFMT) {
            case S_IFBLK -> DEVICE;
            case S_IFCHR -> DEVICE | CHAR_DEVICE;
            case S_IFDIR -> DIR;
            case S_IFIFO -> NAMED_PIPE;
            case S_IFLNK -> SYMLINK;
            case S_IFSOCK -> SOCKET;
            default -> 0L;
        };
        if ((stMode & S_ISGID) != 0) m |= SETGID;
        if ((stMode & S_ISUID) != 0) m |= SETUID;
        if ((stMode & S_ISVTX) != 0) m |= STICKY;
        return m;
    }
}
