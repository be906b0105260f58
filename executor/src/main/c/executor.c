/*
 * berth-executor: carries out a plan that berth's Java side compiled. No policy lives here.
 *
 * Usage: berth-executor JAVA_PID [DST=SRC...]
 *
 * The Java side starts this program with plain pipes as stdin and stdout, through the JDK's own process
 * API (linking native calls costs the JVM more start-up time than the whole rest of a container start).
 * Those two pipes are the sync channel; they are parked out of the way first. Then each DST=SRC installs
 * a descriptor at number DST: SRC "jN" is descriptor N of the process JAVA_PID, duplicated with
 * pidfd_getfd(2) (the same open file, so stdio pipes, sockets and terminals pass through unchanged);
 * SRC "N" is one of our own; SRC "oMODE:PATH" opens PATH with MODE r, w or rw (O_RDONLY, O_WRONLY,
 * O_RDWR; O_NOCTTY, never O_CREAT). The open is non-blocking, so a FIFO never stalls it: w on a FIFO
 * without a reader fails (ENXIO), r on a FIFO without a writer reads end of file until one opens it.
 * A FIFO opened rw gets a 1 MiB pipe buffer (F_SETPIPE_SZ) where the kernel allows it; EPERM (over the
 * user's pipe limits) and EBUSY leave it at its size: a smaller buffer only makes a writer block sooner.
 * The program then re-executes itself from a sealed memfd, so that no process
 * in a container can reach this binary on the host through /proc/PID/exe (the CVE-2019-5736 class).
 *
 * Stdin carries the plan: a u32 length, then that many bytes of records, executed strictly in order:
 *   record := u32 opcode, u32 argc, argc * (u32 length, bytes)      (all little-endian)
 * String arguments carry their terminating NUL; integer arguments are 8-byte little-endian.
 * The opcodes and their arguments are mirrored by berth.runtime.plan.Op in Java. Whatever stdin holds
 * after the plan is left for the program the plan executes (a hook reads the container state there).
 *
 * Messages, one line each:
 *   executor -> java (stdout): "pid N"               after CLONE, from the parent side
 *                              "sync TAG", "ready"   at SYNC and NOTIFY operations
 *                              "error INDEX ERRNO"   the first failure; the executor then exits 1
 *                              "error fd DST ERRNO"  installing descriptor DST failed (before the plan)
 *   java -> executor (stdin):  "go"                  releases WAIT_GO and SYNC
 * End of file on stdout (every copy is closed at exec) tells Java that the program is running.
 *
 * Every descriptor this program opens is O_CLOEXEC, and CLOSE_FDS marks everything from a given number
 * up close-on-exec, so no host descriptor reaches the container's program.
 *
 * CLONE's monitor modes. 0: the parent exits once the child has sent its first NOTIFY (or died); the
 * caller reaps the container. 1 (foreground): the parent stays, forwards the signals a foreground runtime
 * gets, and exits with the child's status. 2 (detached, a daemon's container that must outlive it): the
 * executor starts a session of its own as soon as it has read the plan (a signal to the runtime's process
 * group or terminal does not reach it); the parent ignores SIGHUP and SIGPIPE, forwards nothing (the
 * runtime signals the container's pid itself), keeps only descriptors 1 and 2 (and the status file's
 * directory, opened before any namespace is joined, at 4 or above), chdirs to /, and waits for the child.
 * When the plan has a CONSOLE, the child sends the terminal's master to the parent too (over a socket pair
 * made at CLONE), and the parent keeps it at descriptor 3 (MONITOR_MASTER_FD) for as long as it lives: the
 * terminal outlives the runtime that received the other copy, and a runtime that comes back takes a copy
 * with pidfd_getfd(2). A child that ends or execs without a CONSOLE leaves descriptor 3 closed. It then
 * writes the status (exit code, or 128 + signal, in decimal and a newline) to STATUS.tmp, fsyncs it and
 * renames it to STATUS, when a status path was given; then it waits, polling every 20 ms and with no time
 * limit, until descriptors 1 and 2, where they are pipes or FIFOs, and the master hold no unread data
 * (output written just before the exit waits for a reader that may be down), and exits with the status.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

enum op {
    OP_CLONE = 1,        /* u64 flags, u64 monitor mode, str status path or "": clone(); the parent
                            reports "pid N", then behaves as its monitor mode says (see above) */
    OP_SETNS = 2,        /* str path, u64 nstype */
    OP_UNSHARE = 3,      /* u64 flags */
    OP_WRITE_FILE = 4,   /* str path, str content: one write(2) */
    OP_WAIT_GO = 5,      /* wait for "go" */
    OP_SYNC = 6,         /* str tag: send "sync TAG", wait for "go" */
    OP_NOTIFY = 7,       /* str message: send it, do not wait */
    OP_MOUNT = 8,        /* str source, str target, str fstype, u64 flags, str data: literal paths */
    OP_OPEN_ROOT = 9,    /* str path: later *_IN_ROOT operations resolve inside it */
    OP_MOUNT_IN_ROOT = 10, /* str source, str target (in root), str fstype, u64 flags, str data */
    OP_MKDIR_IN_ROOT = 11, /* str path, u64 mode: like mkdir -p, never leaving the root */
    OP_MKFILE_IN_ROOT = 12,/* str path, u64 mode: create an empty file if absent */
    OP_SYMLINK_IN_ROOT = 13,/* str target, str path */
    OP_MKNOD_IN_ROOT = 14, /* str path, u64 mode, u64 major, u64 minor, u64 uid, u64 gid */
    OP_PIVOT_ROOT = 15,  /* str rootfs */
    OP_CHROOT = 16,      /* str rootfs: move-mount it onto / and chroot (runc --no-pivot) */
    OP_MASK_PATH = 17,   /* str path: /dev/null over a file, read-only tmpfs over a directory */
    OP_READONLY_PATH = 18, /* str path: bind it onto itself read-only */
    OP_SETHOSTNAME = 19, /* str name */
    OP_SETDOMAINNAME = 20, /* str name */
    OP_SETRLIMIT = 21,   /* u64 resource, u64 soft, u64 hard */
    OP_SETSID = 22,
    OP_CONSOLE = 23,     /* str socket path, u64 rows, u64 cols, str console path in root or "" */
    OP_CHDIR = 24,       /* str path; the result must lie inside the root */
    OP_UMASK = 25,       /* u64 mask */
    OP_OPEN_FIFO = 26,   /* str path: O_PATH now, reopened for writing by WAIT_FIFO */
    OP_WAIT_FIFO = 27,   /* block until `start` opens the fifo, then write one byte */
    OP_BOUNDING = 28,    /* u64 capability mask to keep in the bounding set */
    OP_CREDS = 29,       /* u64 uid, u64 gid, str groups ("1,2,3" or "-" to leave them) */
    OP_CAPS = 30,        /* u64 effective, u64 permitted, u64 inheritable, u64 ambient */
    OP_NO_NEW_PRIVS = 31,
    OP_SECCOMP = 32,     /* u64 flags, bytes filter (struct sock_filter[]) */
    OP_CLOSE_FDS = 33,   /* u64 first: close-on-exec from here up */
    OP_RESOLVE_EXEC = 34,/* str name, str PATH value: find the program like execvp would */
    OP_EXEC = 35,        /* u64 argc, str argv[argc], str env...: runs the resolved program */
    OP_SETID = 36,       /* u64 uid, u64 gid: become this id (after id maps are written) */
    /* 37 was DUMPABLE: the executor makes itself non-dumpable at start; no plan needs more */
    OP_REMOUNT_IN_ROOT = 38, /* str target (in root), u64 flags: bind-remount keeping locked flags */
    OP_MKFIFO = 39,      /* str path, u64 mode */
};

struct arg { uint32_t len; const char *p; };
struct rec { uint32_t op, argc; struct arg *args; int fd; };

static int sync_in = -1, sync_out = -1;
static int root_fd = -1;
static int fifo_fd = -1;
static int op_index = -1;
static int placing = -1;        /* the descriptor being installed from argv, for error messages */
static int release_parent = -1; /* the child's end of the pipe its non-monitoring parent waits on */
static int has_console;         /* the plan has a CONSOLE operation */
static int monitor_sock = -1;   /* the child's end of the socket pair to a detached monitor, for the master */
#define MONITOR_MASTER_FD 3
static char exec_path[4096];

/* Report the failing operation and errno to Java, then leave. */
_Noreturn static void fail(int err)
{
    char msg[64];
    int n = placing >= 0 ? snprintf(msg, sizeof msg, "error fd %d %d\n", placing, err)
                         : snprintf(msg, sizeof msg, "error %d %d\n", op_index, err);
    if (sync_out < 0 || write(sync_out, msg, n) != n)
        dprintf(2, "berth-executor: operation %d failed: %s\n", op_index, strerror(err));
    _exit(1);
}

#define CHECK(x) do { if ((x) < 0) fail(errno); } while (0)

static void say(const char *msg)
{
    char line[256];
    int n = snprintf(line, sizeof line, "%s\n", msg);
    if (write(sync_out, line, n) != n)
        fail(errno ? errno : EIO);
}

/* Read one line "go" from the runtime, a byte at a time: what follows on stdin is not ours to take. */
static void wait_go(void)
{
    char buf[8];
    size_t n = 0;
    while (n < sizeof buf) {
        ssize_t got = read(sync_in, buf + n, 1);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        if (buf[n] == '\n') {
            if (n == 2 && memcmp(buf, "go", 2) == 0) return;
            break;
        }
        n++;
    }
    _exit(1); /* the runtime went away or aborted: stop silently, it reports */
}

static uint64_t u64(const struct rec *r, uint32_t i)
{
    uint64_t v = 0;
    if (i >= r->argc || r->args[i].len != 8)
        fail(EINVAL);
    memcpy(&v, r->args[i].p, 8);
    return v;
}

static const char *str(const struct rec *r, uint32_t i)
{
    if (i >= r->argc || r->args[i].len == 0 || r->args[i].p[r->args[i].len - 1] != '\0')
        fail(EINVAL);
    return r->args[i].p;
}

/* Open PATH inside the root, resolving symlinks and ".." as if the root were "/". */
static int open_in_root(const char *path, int flags, mode_t mode)
{
    struct open_how how = { .flags = flags | O_CLOEXEC, .mode = mode,
                            .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
    if (root_fd < 0) { errno = EBADF; return -1; }
    while (*path == '/') path++;
    if (*path == '\0') path = ".";
    return syscall(SYS_openat2, root_fd, path, &how, sizeof how);
}

static void fd_path(int fd, char *buf, size_t len)
{
    snprintf(buf, len, "/proc/self/fd/%d", fd);
}

/*
 * mkdir -p inside the root: every component is resolved within the root, never outside it. A component
 * that is a symlink whose target does not exist yet is followed the way the kernel would resolve it in
 * the root, and the target is created there (as runc does), at most 40 times.
 */
static void mkdir_in_root(const char *path, mode_t mode)
{
    char cur[4096], next[4096];
    if (strlen(path) >= sizeof cur) fail(ENAMETOOLONG);
    strcpy(cur, path);
    for (int hops = 0; hops < 40; hops++) {
        char *p = cur;
        int restart = 0;
        for (;; p++) {
            if (*p != '/' && *p != '\0') continue;
            char saved = *p;
            *p = '\0';
            if (p != cur && p[-1] != '/') {
                int fd = open_in_root(cur, O_PATH | O_DIRECTORY, 0);
                if (fd >= 0) {
                    close(fd);
                } else if (errno != ENOENT) {
                    fail(errno);
                } else {
                    char *slash = strrchr(cur, '/');
                    const char *name = slash ? slash + 1 : cur;
                    int parent;
                    if (slash) { *slash = '\0'; parent = open_in_root(cur, O_PATH | O_DIRECTORY, 0); *slash = '/'; }
                    else parent = open_in_root("", O_PATH | O_DIRECTORY, 0);
                    CHECK(parent);
                    if (mkdirat(parent, name, mode) < 0) {
                        if (errno != EEXIST) fail(errno);
                        /* It exists but does not resolve: a symlink to something still missing. */
                        char target[4096];
                        ssize_t n = readlinkat(parent, name, target, sizeof target - 1);
                        if (n < 0) fail(errno == EINVAL ? ENOTDIR : errno);
                        target[n] = '\0';
                        const char *rest = saved ? p + 1 : "";
                        int len;
                        if (target[0] == '/' || !slash) len = snprintf(next, sizeof next, "%s/%s", target, rest);
                        else len = snprintf(next, sizeof next, "%.*s/%s/%s", (int)(slash - cur), cur, target, rest);
                        if (len < 0 || (size_t)len >= sizeof next) fail(ENAMETOOLONG);
                        close(parent);
                        strcpy(cur, next);
                        restart = 1;
                        break;
                    }
                    close(parent);
                }
            }
            *p = saved;
            if (saved == '\0') break;
        }
        if (!restart) return;
    }
    fail(ELOOP);
}

/* Split PATH into an fd for its parent directory (inside the root) and its last component. */
static int parent_in_root(const char *path, const char **name)
{
    char buf[4096];
    const char *slash = strrchr(path, '/');
    if (strlen(path) >= sizeof buf) fail(ENAMETOOLONG);
    if (!slash) { *name = path; return open_in_root("", O_PATH | O_DIRECTORY, 0); }
    memcpy(buf, path, slash - path);
    buf[slash - path] = '\0';
    *name = slash + 1;
    return open_in_root(buf, O_PATH | O_DIRECTORY, 0);
}

/* Flags a bind remount must keep: the kernel refuses to drop them in a user namespace. */
static unsigned long locked_flags(const char *path)
{
    struct statvfs sv;
    unsigned long f = 0;
    if (statvfs(path, &sv) < 0) return 0;
    if (sv.f_flag & ST_NOSUID) f |= MS_NOSUID;
    if (sv.f_flag & ST_NODEV) f |= MS_NODEV;
    if (sv.f_flag & ST_NOEXEC) f |= MS_NOEXEC;
    if (sv.f_flag & ST_NOATIME) f |= MS_NOATIME;
    if (sv.f_flag & ST_NODIRATIME) f |= MS_NODIRATIME;
    if (sv.f_flag & ST_RELATIME) f |= MS_RELATIME;
    if (sv.f_flag & ST_RDONLY) f |= MS_RDONLY;
    return f;
}

static void do_remount(const char *target, unsigned long flags)
{
    unsigned long keep = locked_flags(target);
    if (!(flags & MS_RDONLY)) keep &= ~MS_RDONLY;
    CHECK(mount("", target, "", MS_REMOUNT | MS_BIND | flags | keep, NULL));
}

static void mask_path(const char *path)
{
    if (mount("/dev/null", path, "", MS_BIND, NULL) == 0) return;
    if (errno == ENOENT) return;
    if (errno == ENOTDIR) {
        CHECK(mount("tmpfs", path, "tmpfs", MS_RDONLY, "size=0k"));
        return;
    }
    fail(errno);
}

static void readonly_path(const char *path)
{
    if (mount(path, path, "", MS_BIND | MS_REC, NULL) < 0) {
        if (errno == ENOENT) return;
        fail(errno);
    }
    do_remount(path, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC);
}

static void pivot(const char *rootfs)
{
    int oldroot = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    int newroot = open(rootfs, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    CHECK(oldroot); CHECK(newroot);
    CHECK(fchdir(newroot));
    CHECK(syscall(SYS_pivot_root, ".", "."));
    /* The old root is now stacked under "."; detach it without propagating to the host. */
    CHECK(fchdir(oldroot));
    CHECK(mount("", ".", "", MS_SLAVE | MS_REC, NULL));
    CHECK(umount2(".", MNT_DETACH));
    CHECK(chdir("/"));
    close(oldroot); close(newroot);
    if (root_fd >= 0) close(root_fd);
    root_fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    CHECK(root_fd);
}

static void move_root(const char *rootfs)
{
    CHECK(chdir(rootfs));
    CHECK(mount(rootfs, "/", "", MS_MOVE, NULL));
    CHECK(chroot("."));
    CHECK(chdir("/"));
    if (root_fd >= 0) close(root_fd);
    root_fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    CHECK(root_fd);
}

/* Send FD over the unix socket SOCK with SCM_RIGHTS, with NAME as the payload (runc's protocol). */
static void send_fd(int sock, int fd, const char *name)
{
    char cbuf[CMSG_SPACE(sizeof(int))];
    struct iovec iov = { .iov_base = (void *)name, .iov_len = strlen(name) };
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf };
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    memset(cbuf, 0, sizeof cbuf);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof(int));
    CHECK(sendmsg(sock, &msg, MSG_NOSIGNAL));
}

static int connect_unix(const char *path)
{
    struct sockaddr_un { sa_family_t sun_family; char sun_path[108]; } addr = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof addr.sun_path) fail(ENAMETOOLONG);
    strcpy(addr.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK(fd);
    CHECK(connect(fd, (struct sockaddr *)&addr, sizeof addr));
    return fd;
}

static void console(int sock, unsigned short rows, unsigned short cols, const char *console_path)
{
    int unlock = 0;
    int master = root_fd >= 0 ? open_in_root("dev/ptmx", O_RDWR | O_NOCTTY, 0)
                              : open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    CHECK(master);
    CHECK(ioctl(master, TIOCSPTLCK, &unlock));
    int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
    CHECK(slave);
    if (rows || cols) {
        struct winsize ws = { .ws_row = rows, .ws_col = cols };
        CHECK(ioctl(master, TIOCSWINSZ, &ws));
    }
    unsigned int n;
    char name[64];
    CHECK(ioctl(master, TIOCGPTN, &n));
    snprintf(name, sizeof name, "/dev/pts/%u", n);
    if (*console_path) {
        char src[64];
        const char *leaf;
        int dir = parent_in_root(console_path, &leaf);
        CHECK(dir);
        int target = openat(dir, leaf, O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_RDONLY, 0600);
        CHECK(target);
        char dst[64];
        fd_path(slave, src, sizeof src);
        fd_path(target, dst, sizeof dst);
        CHECK(mount(src, dst, "", MS_BIND, NULL));
        close(target); close(dir);
    }
    if (monitor_sock >= 0) {
        send_fd(monitor_sock, master, name);
        close(monitor_sock);
        monitor_sock = -1;
    }
    send_fd(sock, master, name);
    close(master);
    close(sock);
    CHECK(ioctl(slave, TIOCSCTTY, 0));
    for (int i = 0; i < 3; i++)
        CHECK(dup3(slave, i, 0));
    if (slave > 2) close(slave);
}

static void resolve_exec(const char *name, const char *path)
{
    if (strchr(name, '/')) {
        if (strlen(name) >= sizeof exec_path) fail(ENAMETOOLONG);
        strcpy(exec_path, name);
        CHECK(access(exec_path, X_OK));
        return;
    }
    int err = ENOENT;
    for (const char *p = path; ; ) {
        const char *end = strchrnul(p, ':');
        int n = snprintf(exec_path, sizeof exec_path, "%.*s/%s", (int)(end - p), end == p ? "." : p, name);
        if (n > 0 && (size_t)n < sizeof exec_path) {
            struct stat st;
            if (stat(exec_path, &st) == 0 && S_ISREG(st.st_mode) && access(exec_path, X_OK) == 0)
                return;
            if (errno == EACCES || (errno == 0 && !S_ISREG(st.st_mode))) err = EACCES;
        }
        if (*end == '\0') break;
        p = end + 1;
    }
    fail(err);
}

static void wait_fifo(void)
{
    char p[64];
    fd_path(fifo_fd, p, sizeof p);
    int fd = open(p, O_WRONLY | O_CLOEXEC);
    CHECK(fd);
    CHECK(write(fd, "0", 1));
    close(fd);
    close(fifo_fd);
    fifo_fd = -1;
}

static void caps(uint64_t eff, uint64_t perm, uint64_t inh, uint64_t amb)
{
    struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
    struct __user_cap_data_struct d[2] = {
        { .effective = (uint32_t)eff, .permitted = (uint32_t)perm, .inheritable = (uint32_t)inh },
        { .effective = (uint32_t)(eff >> 32), .permitted = (uint32_t)(perm >> 32), .inheritable = (uint32_t)(inh >> 32) },
    };
    CHECK(syscall(SYS_capset, &h, d));
    CHECK(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0));
    for (int c = 0; c < 64; c++)
        if (amb & (1ULL << c))
            CHECK(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0));
}

static void bounding(uint64_t keep)
{
    for (int c = 0; c < 64; c++) {
        if (keep & (1ULL << c)) continue;
        if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0) {
            if (errno == EINVAL) break; /* past the kernel's last capability */
            fail(errno);
        }
    }
}

static void creds(uint64_t uid, uint64_t gid, const char *groups)
{
    CHECK(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
    if (strcmp(groups, "-") != 0) {
        gid_t list[256];
        size_t n = 0;
        for (const char *p = groups; *p && n < 256; ) {
            char *end;
            list[n++] = (gid_t)strtoul(p, &end, 10);
            p = *end == ',' ? end + 1 : end;
        }
        CHECK(setgroups(n, list));
    }
    CHECK(setresgid(gid, gid, gid));
    CHECK(setresuid(uid, uid, uid));
    CHECK(prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0));
}

static void do_exec(const struct rec *r)
{
    uint64_t argc = u64(r, 0);
    if (argc == 0 || argc >= r->argc) fail(EINVAL);
    uint32_t envc = r->argc - 1 - (uint32_t)argc;
    char **argv = calloc(argc + 1, sizeof *argv), **envp = calloc(envc + 1, sizeof *envp);
    if (!argv || !envp) fail(ENOMEM);
    for (uint32_t i = 0; i < argc; i++) argv[i] = (char *)str(r, 1 + i);
    for (uint32_t i = 0; i < envc; i++) envp[i] = (char *)str(r, 1 + (uint32_t)argc + i);
    if (!exec_path[0]) fail(ENOENT);
    execve(exec_path, argv, envp);
    fail(errno);
}

static pid_t monitored;

static void forward(int sig)
{
    kill(monitored, sig);
}

/* Stay the parent of CHILD: pass on the signals a foreground runtime receives, exit as the child did. */
_Noreturn static void monitor(pid_t child)
{
    static const int forwarded[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGWINCH };
    monitored = child;
    close(sync_in);
    close(sync_out);
    for (size_t i = 0; i < sizeof forwarded / sizeof *forwarded; i++) {
        struct sigaction sa = { .sa_handler = forward, .sa_flags = SA_RESTART };
        sigaction(forwarded[i], &sa, NULL);
    }
    int status;
    while (waitpid(child, &status, 0) < 0)
        if (errno != EINTR) _exit(255);
    _exit(WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status));
}

/*
 * The directory that holds PATH's last component, opened now (later, another mount namespace may hide it)
 * at 4 or above: a detached monitor keeps it beside descriptors 1, 2 and MONITOR_MASTER_FD and closes the rest.
 */
static int open_dir_of(const char *path)
{
    char dir[4096];
    const char *slash = strrchr(path, '/');
    if (slash && (size_t)(slash - path) >= sizeof dir) fail(ENAMETOOLONG);
    if (slash) {
        memcpy(dir, path, slash - path);
        dir[slash - path] = '\0';
    }
    int fd = open(!slash ? "." : slash == path ? "/" : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    CHECK(fd);
    if (fd <= MONITOR_MASTER_FD) {
        int high = fcntl(fd, F_DUPFD_CLOEXEC, MONITOR_MASTER_FD + 1);
        CHECK(high);
        close(fd);
        fd = high;
    }
    return fd;
}

/* LEAF.tmp in DIR, fsync, rename to LEAF: a reader sees the whole status or none. Best effort: nobody to tell. */
static void write_status(int dir, const char *leaf, int code)
{
    char tmp[4096], text[16];
    int n = snprintf(text, sizeof text, "%d\n", code);
    if (snprintf(tmp, sizeof tmp, "%s.tmp", leaf) >= (int)sizeof tmp) return;
    int fd = openat(dir, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) return;
    int ok = write(fd, text, n) == n && fsync(fd) == 0;
    close(fd);
    if (ok && renameat(dir, tmp, dir, leaf) == 0) fsync(dir);
    else unlinkat(dir, tmp, 0);
}

/* Bytes not yet read from FD when it is a pipe or FIFO (or, with TERMINAL, a terminal's master), else 0. */
static int unread(int fd, int terminal)
{
    struct stat st;
    int n;
    if (fstat(fd, &st) < 0 || !(S_ISFIFO(st.st_mode) || terminal) || ioctl(fd, FIONREAD, &n) < 0) return 0;
    return n;
}

/* The descriptor that came with one message on SOCK, or -1 when the peer closed it without sending one. */
static int receive_fd(int sock)
{
    char data[64], cbuf[CMSG_SPACE(sizeof(int))];
    struct iovec iov = { .iov_base = data, .iov_len = sizeof data };
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf };
    int fd = -1;
    while (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) < 0)
        if (errno != EINTR) return -1;
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) memcpy(&fd, CMSG_DATA(c), sizeof fd);
    return fd;
}

/* Monitor mode 2 (see the top of this file): DIR is the status file's directory or -1, SOCK the parent's end
 * of the socket pair on which the child sends the terminal's master, or -1 without a CONSOLE. */
_Noreturn static void monitor_detached(pid_t child, int dir, const char *status_path, int sock)
{
    CHECK(chdir("/")); /* pin no directory of the runtime's */
    signal(SIGHUP, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    close(0);
    int master = sock >= 0 ? receive_fd(sock) : -1;
    if (master >= 0 && master != MONITOR_MASTER_FD) {
        int moved = dup3(master, MONITOR_MASTER_FD, O_CLOEXEC);
        close(master);
        master = moved < 0 ? -1 : MONITOR_MASTER_FD;
    }
    int first = master >= 0 ? MONITOR_MASTER_FD + 1 : MONITOR_MASTER_FD;
    if (dir > first) syscall(SYS_close_range, first, dir - 1, 0);
    syscall(SYS_close_range, dir < 0 ? first : dir + 1, ~0U, 0);
    int status;
    while (waitpid(child, &status, 0) < 0)
        if (errno != EINTR) _exit(255);
    int code = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
    if (dir >= 0) {
        const char *slash = strrchr(status_path, '/');
        write_status(dir, slash ? slash + 1 : status_path, code);
        close(dir);
    }
    while (unread(1, 0) > 0 || unread(2, 0) > 0 || (master >= 0 && unread(master, 1) > 0)) {
        struct timespec pause = { .tv_nsec = 20 * 1000 * 1000 };
        nanosleep(&pause, NULL);
    }
    _exit(code);
}

static void run(const struct rec *r)
{
    char buf[128];
    switch (r->op) {
    case OP_CLONE: {
        /* The runtime talks to us through pipes that its process API closes when we exit: a parent that
         * does not monitor therefore lives until the child has said what it had to say (its first NOTIFY). */
        uint64_t mode = u64(r, 1);
        const char *status_path = str(r, 2);
        int wait_pipe[2], pair[2] = { -1, -1 };
        if (mode > 2) fail(EINVAL);
        CHECK(pipe2(wait_pipe, O_CLOEXEC));
        if (mode == 2 && has_console) CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair));
        long pid = syscall(SYS_clone, (unsigned long)u64(r, 0) | SIGCHLD, 0, 0, 0, 0);
        CHECK(pid);
        if (pid > 0) {
            close(wait_pipe[1]);
            if (pair[1] >= 0) close(pair[1]);
            snprintf(buf, sizeof buf, "pid %ld", pid);
            say(buf);
            if (mode == 1) monitor((pid_t)pid);
            if (mode == 2) monitor_detached((pid_t)pid, r->fd, status_path, pair[0]);
            close(sync_in);
            close(sync_out);
            while (read(wait_pipe[0], buf, 1) < 0 && errno == EINTR) { }
            _exit(0);
        }
        close(wait_pipe[0]);
        release_parent = wait_pipe[1];
        if (pair[0] >= 0) close(pair[0]);
        monitor_sock = pair[1];
        break;
    }
    case OP_SETNS: /* opened before the first operation, see main() */
        CHECK(setns(r->fd, (int)u64(r, 1)));
        close(r->fd);
        break;
    case OP_UNSHARE: CHECK(unshare((int)u64(r, 0))); break;
    case OP_WRITE_FILE: {
        int fd = open(str(r, 0), O_WRONLY | O_CLOEXEC);
        CHECK(fd);
        size_t len = r->args[1].len - 1;
        if (write(fd, str(r, 1), len) != (ssize_t)len) fail(errno ? errno : EIO);
        close(fd);
        break;
    }
    case OP_WAIT_GO: wait_go(); break;
    case OP_SYNC:
        snprintf(buf, sizeof buf, "sync %s", str(r, 0));
        say(buf);
        wait_go();
        break;
    case OP_NOTIFY:
        say(str(r, 0));
        if (release_parent >= 0) close(release_parent);
        release_parent = -1;
        break;
    case OP_MOUNT: {
        const char *src = str(r, 0), *fstype = str(r, 2), *data = str(r, 4);
        CHECK(mount(src, str(r, 1), fstype, (unsigned long)u64(r, 3), *data ? data : NULL));
        break;
    }
    case OP_OPEN_ROOT:
        if (root_fd >= 0) close(root_fd);
        root_fd = open(str(r, 0), O_PATH | O_DIRECTORY | O_CLOEXEC);
        CHECK(root_fd);
        break;
    case OP_MOUNT_IN_ROOT: {
        const char *src = str(r, 0), *fstype = str(r, 2), *data = str(r, 4);
        char target[64];
        int fd = open_in_root(str(r, 1), O_PATH, 0);
        CHECK(fd);
        fd_path(fd, target, sizeof target);
        CHECK(mount(src, target, fstype, (unsigned long)u64(r, 3), *data ? data : NULL));
        close(fd);
        break;
    }
    case OP_REMOUNT_IN_ROOT: {
        char target[64];
        int fd = open_in_root(str(r, 0), O_PATH, 0);
        CHECK(fd);
        fd_path(fd, target, sizeof target);
        do_remount(target, (unsigned long)u64(r, 1));
        close(fd);
        break;
    }
    case OP_MKDIR_IN_ROOT: mkdir_in_root(str(r, 0), (mode_t)u64(r, 1)); break;
    case OP_MKFILE_IN_ROOT: {
        const char *leaf;
        int dir = parent_in_root(str(r, 0), &leaf);
        CHECK(dir);
        int fd = openat(dir, leaf, O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_RDONLY, (mode_t)u64(r, 1));
        if (fd < 0 && errno != EISDIR) fail(errno);
        if (fd >= 0) close(fd);
        close(dir);
        break;
    }
    case OP_SYMLINK_IN_ROOT: {
        const char *leaf;
        int dir = parent_in_root(str(r, 1), &leaf);
        CHECK(dir);
        if (symlinkat(str(r, 0), dir, leaf) < 0 && errno != EEXIST) fail(errno);
        close(dir);
        break;
    }
    case OP_MKNOD_IN_ROOT: {
        const char *leaf;
        int dir = parent_in_root(str(r, 0), &leaf);
        CHECK(dir);
        if (unlinkat(dir, leaf, 0) < 0 && errno != ENOENT) fail(errno);
        CHECK(mknodat(dir, leaf, (mode_t)u64(r, 1), makedev(u64(r, 2), u64(r, 3))));
        CHECK(fchmodat(dir, leaf, (mode_t)u64(r, 1) & 07777, 0)); /* the mode as given, whatever the umask */
        CHECK(fchownat(dir, leaf, (uid_t)u64(r, 4), (gid_t)u64(r, 5), AT_SYMLINK_NOFOLLOW));
        close(dir);
        break;
    }
    case OP_PIVOT_ROOT: pivot(str(r, 0)); break;
    case OP_CHROOT: move_root(str(r, 0)); break;
    case OP_MASK_PATH: mask_path(str(r, 0)); break;
    case OP_READONLY_PATH: readonly_path(str(r, 0)); break;
    case OP_SETHOSTNAME: CHECK(sethostname(str(r, 0), r->args[0].len - 1)); break;
    case OP_SETDOMAINNAME: CHECK(setdomainname(str(r, 0), r->args[0].len - 1)); break;
    case OP_SETRLIMIT: {
        struct rlimit rl = { .rlim_cur = u64(r, 1), .rlim_max = u64(r, 2) };
        CHECK(setrlimit((int)u64(r, 0), &rl));
        break;
    }
    case OP_SETSID: CHECK(setsid()); break;
    case OP_CONSOLE: /* connected before the first operation, see main() */
        console(r->fd, (unsigned short)u64(r, 1), (unsigned short)u64(r, 2), str(r, 3));
        break;
    case OP_MKFIFO: CHECK(mkfifo(str(r, 0), (mode_t)u64(r, 1))); break;
    case OP_CHDIR: {
        CHECK(chdir(str(r, 0)));
        /* A cwd outside the root (a leaked directory) reads back as "(unreachable)/...". */
        if (!getcwd(buf, sizeof buf) && errno != ERANGE) fail(errno);
        if (buf[0] != '/') fail(ENOENT);
        break;
    }
    case OP_UMASK: umask((mode_t)u64(r, 0)); break;
    case OP_OPEN_FIFO:
        fifo_fd = open(str(r, 0), O_PATH | O_CLOEXEC);
        CHECK(fifo_fd);
        break;
    case OP_WAIT_FIFO: wait_fifo(); break;
    case OP_BOUNDING: bounding(u64(r, 0)); break;
    case OP_CREDS: creds(u64(r, 0), u64(r, 1), str(r, 2)); break;
    case OP_CAPS: caps(u64(r, 0), u64(r, 1), u64(r, 2), u64(r, 3)); break;
    case OP_NO_NEW_PRIVS: CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)); break;
    case OP_SECCOMP: {
        if (r->argc != 2 || r->args[1].len % sizeof(struct sock_filter)) fail(EINVAL);
        struct sock_fprog prog = { .len = r->args[1].len / sizeof(struct sock_filter),
                                   .filter = (struct sock_filter *)r->args[1].p };
        CHECK(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, (unsigned int)u64(r, 0), &prog));
        break;
    }
    case OP_CLOSE_FDS: CHECK(syscall(SYS_close_range, (unsigned int)u64(r, 0), ~0U, CLOSE_RANGE_CLOEXEC)); break;
    case OP_RESOLVE_EXEC: resolve_exec(str(r, 0), str(r, 1)); break;
    case OP_EXEC: do_exec(r); break;
    case OP_SETID:
        CHECK(setresgid((gid_t)u64(r, 1), (gid_t)u64(r, 1), (gid_t)u64(r, 1)));
        CHECK(setresuid((uid_t)u64(r, 0), (uid_t)u64(r, 0), (uid_t)u64(r, 0)));
        break;
    default: fail(ENOSYS);
    }
}

static void read_exact(int fd, void *buf, size_t len)
{
    for (size_t n = 0; n < len; ) {
        ssize_t got = read(fd, (char *)buf + n, len - n);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) fail(got < 0 ? errno : EPIPE);
        n += got;
    }
}

static uint32_t le32(const char *p) { uint32_t v; memcpy(&v, p, 4); return v; }

/* SRC "oMODE:PATH" (see the top of this file): the new descriptor, close-on-exec until it is placed. */
static int open_source(const char *src)
{
    const char *colon = strchr(src, ':');
    int flags;
    if (!colon) fail(EINVAL);
    if (colon - src == 1 && src[0] == 'r') flags = O_RDONLY;
    else if (colon - src == 1 && src[0] == 'w') flags = O_WRONLY;
    else if (colon - src == 2 && src[0] == 'r' && src[1] == 'w') flags = O_RDWR;
    else fail(EINVAL);
    int fd = open(colon + 1, flags | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    CHECK(fd);
    CHECK(fcntl(fd, F_SETFL, flags));
    struct stat st;
    CHECK(fstat(fd, &st));
    if (flags == O_RDWR && S_ISFIFO(st.st_mode) && fcntl(fd, F_SETPIPE_SZ, 1 << 20) < 0
            && errno != EPERM && errno != EBUSY)
        fail(errno);
    return fd;
}

/* Install the DST=SRC descriptor moves from argv, safely even where a destination is another's source. */
static void place_fds(pid_t java, int n, char **pairs)
{
    if (n <= 0) return;
    int dst[n], tmp[n];
    int pidfd = -1;
    for (int i = 0; i < n; i++) {
        char *eq = strchr(pairs[i], '=');
        if (!eq) fail(EINVAL);
        dst[i] = placing = atoi(pairs[i]);
        if (eq[1] == 'j') {
            if (pidfd < 0) CHECK(pidfd = syscall(SYS_pidfd_open, java, 0));
            tmp[i] = syscall(SYS_pidfd_getfd, pidfd, atoi(eq + 2), 0);
            if (tmp[i] < 0 && errno == EBADF) { /* the runtime has no such descriptor: neither will the child */
                close(dst[i]);
                continue;
            }
            CHECK(tmp[i]);
            CHECK(fcntl(tmp[i], F_SETFD, FD_CLOEXEC));
        } else if (eq[1] == 'o') {
            tmp[i] = open_source(eq + 2);
        } else {
            CHECK(tmp[i] = fcntl(atoi(eq + 1), F_DUPFD_CLOEXEC, 3));
        }
    }
    if (pidfd >= 0) close(pidfd);
    for (int i = 0; i < n; i++) {
        if (tmp[i] < 0) continue;
        placing = dst[i];
        CHECK(dup2(tmp[i], dst[i]));
        close(tmp[i]);
    }
    placing = -1;
}

static void reset_signals(void)
{
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    for (int sig = 1; sig < NSIG; sig++)
        signal(sig, SIG_DFL); /* fails harmlessly for SIGKILL, SIGSTOP and the libc-reserved ones */
}

static int running_from_memfd(void)
{
    char self[64];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) return 0;
    self[n] = '\0';
    return strncmp(self, "/memfd:berth-executor", 21) == 0;
}

/* Run from a sealed copy of ourselves, so that nothing in a container can write to this binary. */
_Noreturn static void reexec_from_memfd(char **argv)
{
    int src = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    CHECK(src);
    int mem = memfd_create("berth-executor", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    CHECK(mem);
    char buf[65536];
    ssize_t got;
    while ((got = read(src, buf, sizeof buf)) > 0)
        if (write(mem, buf, got) != got) fail(errno ? errno : EIO);
    CHECK(got);
    close(src);
    CHECK(fcntl(mem, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE));
    char *empty[] = { NULL };
    syscall(SYS_execveat, mem, "", argv, empty, AT_EMPTY_PATH);
    fail(errno);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: berth-executor JAVA_PID [DST=SRC...] (started by berth, not by hand)\n");
        return 2;
    }
    if (!running_from_memfd()) {
        /* First run, from the host file: park the sync pipes at 100 and 101 (inheritable across the
         * re-exec), install the descriptors, and continue from the sealed copy. */
        reset_signals();
        CHECK(dup2(0, 100));
        CHECK(dup2(1, 101));
        sync_out = 101;
        place_fds((pid_t)atoi(argv[1]), argc - 2, argv + 2);
        reexec_from_memfd(argv);
    }
    sync_in = 100;
    sync_out = 101;
    CHECK(fcntl(sync_in, F_SETFD, FD_CLOEXEC));
    CHECK(fcntl(sync_out, F_SETFD, FD_CLOEXEC));
    /* Nothing in the container may ptrace us or open our /proc entries while we work. */
    CHECK(prctl(PR_SET_DUMPABLE, 0, 0, 0, 0));

    uint32_t len;
    read_exact(sync_in, &len, 4);
    char *plan = malloc(len ? len : 1);
    if (!plan) fail(ENOMEM);
    read_exact(sync_in, plan, len);

    /* Decode every record first so a malformed plan fails before any side effect. */
    size_t count = 0, cap = 64, off = 0;
    struct rec *recs = malloc(cap * sizeof *recs);
    while (off < len) {
        if (!recs) fail(ENOMEM);
        if (len - off < 8) fail(EINVAL);
        struct rec r = { le32(plan + off), le32(plan + off + 4), NULL, -1 };
        off += 8;
        r.args = calloc(r.argc ? r.argc : 1, sizeof *r.args);
        if (!r.args) fail(ENOMEM);
        for (uint32_t i = 0; i < r.argc; i++) {
            if (len - off < 4) fail(EINVAL);
            r.args[i].len = le32(plan + off);
            off += 4;
            if (len - off < r.args[i].len) fail(EINVAL);
            r.args[i].p = plan + off;
            off += r.args[i].len;
        }
        if (count == cap) recs = realloc(recs, (cap *= 2) * sizeof *recs);
        if (!recs) fail(ENOMEM);
        recs[count++] = r;
    }
    /* Open every namespace to join, every status file's directory, and connect every console socket up
     * front (as runc's nsexec does): once the first namespace is joined, the host's paths may no longer be
     * reachable (another mount namespace, or no access from inside a user namespace to a process that is
     * not dumpable). */
    int detached = 0;
    for (size_t i = 0; i < count; i++) {
        op_index = (int)i;
        if (recs[i].op == OP_SETNS) CHECK(recs[i].fd = open(str(&recs[i], 0), O_RDONLY | O_CLOEXEC));
        if (recs[i].op == OP_CONSOLE) {
            recs[i].fd = connect_unix(str(&recs[i], 0));
            has_console = 1;
        }
        if (recs[i].op == OP_CLONE && u64(&recs[i], 1) == 2) {
            detached = 1;
            if (*str(&recs[i], 2)) recs[i].fd = open_dir_of(str(&recs[i], 2));
        }
    }
    /* A process group of our own: a terminal's ^C reaches the runtime, which passes it on. A detached
     * monitor needs a session of its own, which a group leader cannot start: it takes that instead. */
    op_index = -1;
    if (detached) CHECK(setsid());
    else setpgid(0, 0);
    for (size_t i = 0; i < count; i++) {
        op_index = (int)i;
        errno = 0;
        run(&recs[i]);
    }
    op_index = -1;
    fail(ENOEXEC); /* a plan must end in EXEC or CLONE's parent exit */
}
