package berth.runtime.plan;

import berth.runtime.seccomp.SeccompCompiler;
import berth.runtime.seccomp.SeccompProgram;
import berth.runtime.spec.Capability;
import berth.runtime.json.InvalidSpecException;
import berth.runtime.spec.MountOptions;
import berth.runtime.spec.Rlimits;
import berth.runtime.spec.Spec;
import berth.runtime.spec.Spec.Device;
import berth.runtime.spec.Spec.Linux;
import berth.runtime.spec.Spec.Mount;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static berth.runtime.spec.MountOptions.MS_BIND;
import static berth.runtime.spec.MountOptions.MS_NODEV;
import static berth.runtime.spec.MountOptions.MS_NOEXEC;
import static berth.runtime.spec.MountOptions.MS_NOSUID;
import static berth.runtime.spec.MountOptions.MS_RDONLY;
import static berth.runtime.spec.MountOptions.MS_REC;
import static berth.runtime.spec.MountOptions.MS_REMOUNT;
import static berth.runtime.spec.MountOptions.MS_SLAVE;

/**
 * Compiles a validated {@link Spec} into executor plans. Pure: it reads only its arguments and the host
 * source paths of bind mounts (to know whether to create a file or a directory as the mount point).
 */
public final class PlanCompiler {
    /** Messages between the executor and the runtime, see executor.c. */
    public static final String READY = "ready", CREATE_HOOKS = "create-hooks";

    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final long S_IFCHR = 0020000, S_IFBLK = 0060000, S_IFIFO = 0010000;

    /** The devices every container gets (runc's default simple devices). */
    private static final List<Device> DEFAULT_DEVICES = List.of(
            new Device("c", "/dev/null", 1, 3, 0666, 0L, 0L), new Device("c", "/dev/zero", 1, 5, 0666, 0L, 0L),
            new Device("c", "/dev/full", 1, 7, 0666, 0L, 0L), new Device("c", "/dev/random", 1, 8, 0666, 0L, 0L),
            new Device("c", "/dev/urandom", 1, 9, 0666, 0L, 0L), new Device("c", "/dev/tty", 5, 0, 0666, 0L, 0L));

    private final Supplier<SeccompCompiler> seccomp;

    public PlanCompiler(Supplier<SeccompCompiler> seccomp) {
        this.seccomp = seccomp;
    }

    /**
     * Everything about one {@code create} that is not in the spec.
     *
     * @param rootfs       the root filesystem, absolute
     * @param bundle       the bundle directory, against which relative bind sources resolve
     * @param fifo         the exec fifo the container waits on until {@code start}; null when the same
     *                     process starts it ({@code run}), which then sends "go" on the sync socket instead
     * @param consoleSocket the unix socket that receives the pty master when process.terminal is set
     * @param firstFreeFd  the first descriptor not passed to the container (3 + preserved fds)
     * @param noPivot      chroot instead of pivot_root
     * @param createHooks  whether prestart/createRuntime/createContainer hooks need a pause before pivot_root
     * @param monitor      whether the executor leaves the container to the caller's reaper (create, run -d),
     *                     stays its parent and exits with its status (foreground run), or stays its parent
     *                     apart from the runtime (a daemon's container)
     * @param cgroupDirs   the container's cgroup directory per hierarchy name ("" on cgroup v2): what a
     *                     "cgroup" mount shows
     */
    public record CreateContext(Path rootfs, Path bundle, Path fifo, String consoleSocket, int firstFreeFd,
                                boolean noPivot, boolean createHooks, Monitor monitor, Map<String, Path> cgroupDirs,
                                HostFacts host) {}

    /** Everything about one {@code exec} that is not in the process spec; {@code monitor} as for create. */
    public record ExecContext(Map<String, String> namespacePaths, boolean joinsUserNamespace, String consoleSocket,
                              int firstFreeFd, Monitor monitor) {}

    public Plan create(Spec spec, CreateContext ctx) {
        Linux linux = spec.linux();
        if (!linux.createsNamespace("mount")) {
            throw new InvalidSpecException("linux.namespaces: berth needs a new mount namespace for the root filesystem");
        }
        List<Op> ops = new ArrayList<>();
        // In the executor, before the container process exists.
        linux.namespaces().stream().filter(n -> n.path() != null)
                .sorted((a, b) -> Namespaces.joinOrder().compare(a.type(), b.type()))
                .forEach(n -> ops.add(Op.setns(n.path(), Namespaces.flag(n.type()), n.type())));
        if (linux.createsNamespace("time")) {
            ops.add(Op.unshare(Namespaces.CLONE_NEWTIME, "time namespace"));
            if (!linux.timeOffsets().isEmpty()) {
                StringBuilder sb = new StringBuilder();
                linux.timeOffsets().forEach((clock, o) -> sb.append(clock).append(' ').append(o.secs()).append(' ')
                        .append(o.nanosecs()).append('\n'));
                ops.add(Op.writeFile("/proc/self/timens_offsets", sb.toString()));
            }
        }
        long cloneFlags = 0;
        for (var n : linux.namespaces()) {
            if (n.path() == null && !n.type().equals("time") && !n.type().equals("cgroup")) cloneFlags |= Namespaces.flag(n.type());
        }
        if (ctx.fifo() != null) ops.add(Op.mkfifo(ctx.fifo().toString(), 0600));
        ops.add(Op.cloneProcess(cloneFlags, ctx.monitor()));

        // The container's first process: id maps and cgroups are in place once "go" arrives.
        ops.add(Op.waitGo());
        if (linux.createsNamespace("user")) ops.add(Op.setid(0, 0));
        if (linux.createsNamespace("cgroup")) ops.add(Op.unshare(Namespaces.CLONE_NEWCGROUP, "cgroup namespace"));
        ops.add(Op.setsid());

        String rootfs = ctx.rootfs().toString();
        long rootPropagation = linux.rootfsPropagation() == null ? MS_SLAVE | MS_REC
                : MountOptions.propagation(linux.rootfsPropagation());
        ops.add(Op.mount("", "/", "", rootPropagation, "", "set propagation of /"));
        ops.add(Op.mount(rootfs, rootfs, "", MS_BIND | MS_REC, "", "bind mount the root filesystem " + rootfs));
        ops.add(Op.openRoot(rootfs));
        for (Mount m : spec.mounts()) mount(ops, m, spec, ctx);
        boolean devBound = spec.mounts().stream()
                .anyMatch(m -> m.destination().equals("/dev") && MountOptions.parse(m.options()).isBind());
        if (!devBound) devices(ops, linux, ctx.host());
        var process = spec.process();
        if (process.terminal()) {
            var size = process.consoleSize();
            ops.add(Op.console(ctx.consoleSocket(), size == null ? 0 : size.height(), size == null ? 0 : size.width(), "/dev/console"));
        }
        if (ctx.fifo() != null) ops.add(Op.openFifo(ctx.fifo().toString()));
        if (ctx.createHooks()) ops.add(Op.sync(CREATE_HOOKS));
        ops.add(ctx.noPivot() ? Op.chroot(rootfs) : Op.pivotRoot(rootfs));
        if (linux.rootfsPropagation() != null) {
            ops.add(Op.mount("", "/", "", rootPropagation, "", "set propagation of / to " + linux.rootfsPropagation()));
        }
        // runc's order: sysctls while /proc/sys is writable, then read-only paths, then masked paths.
        linux.sysctl().forEach((k, v) -> ops.add(Op.writeFile("/proc/sys/" + k.replace('.', '/'), v)));
        for (String p : linux.readonlyPaths()) ops.add(Op.readonlyPath(p));
        for (String p : linux.maskedPaths()) ops.add(Op.maskPath(p));
        if (spec.root().readonly()) ops.add(Op.remountInRoot("/", MS_RDONLY));
        if (spec.hostname() != null && !spec.hostname().isEmpty()) ops.add(Op.sethostname(spec.hostname()));
        if (spec.domainname() != null && !spec.domainname().isEmpty()) ops.add(Op.setdomainname(spec.domainname()));
        processSetup(ops, process);
        ops.add(Op.notify(READY));
        ops.add(ctx.fifo() != null ? Op.waitFifo() : Op.waitGo());
        finish(ops, process, linux, ctx.firstFreeFd());
        return new Plan(ops);
    }

    /** The plan for {@code exec}: join the container's namespaces, fork into its pid namespace, run. */
    public Plan exec(Spec.Process process, Linux linux, ExecContext ctx) {
        List<Op> ops = new ArrayList<>();
        ctx.namespacePaths().entrySet().stream()
                .sorted((a, b) -> Namespaces.joinOrder().compare(a.getKey(), b.getKey()))
                .forEach(e -> ops.add(Op.setns(e.getValue(), Namespaces.flag(e.getKey()), e.getKey())));
        ops.add(Op.cloneProcess(0, ctx.monitor()));
        ops.add(Op.waitGo());
        ops.add(Op.setsid());
        if (process.terminal()) {
            var size = process.consoleSize();
            ops.add(Op.console(ctx.consoleSocket(), size == null ? 0 : size.height(), size == null ? 0 : size.width(), ""));
        }
        processSetup(ops, process);
        ops.add(Op.notify(READY));
        finish(ops, process, linux, ctx.firstFreeFd());
        return new Plan(ops);
    }

    /**
     * The plan for a hook that must run inside the container's namespaces (createContainer, startContainer):
     * join them and exec the hook. It inherits the executor's stdin, where the runtime writes the state.
     */
    public Plan hook(Spec.Hook hook, Map<String, String> namespacePaths) {
        List<Op> ops = new ArrayList<>();
        namespacePaths.entrySet().stream()
                .filter(e -> !e.getKey().equals("pid"))
                .sorted((a, b) -> Namespaces.joinOrder().compare(a.getKey(), b.getKey()))
                .forEach(e -> ops.add(Op.setns(e.getValue(), Namespaces.flag(e.getKey()), e.getKey())));
        // Inside a user namespace the host's root is unmapped: run the hook as the namespace's root.
        if (namespacePaths.containsKey("user")) ops.add(Op.setid(0, 0));
        ops.add(Op.closeFds(3));
        ops.add(Op.resolveExec(hook.path(), ""));
        ops.add(Op.exec(hook.args().isEmpty() ? List.of(hook.path()) : hook.args(), hook.env()));
        return new Plan(ops);
    }

    private void processSetup(List<Op> ops, Spec.Process process) {
        for (var r : process.rlimits()) ops.add(Op.setrlimit(Rlimits.number(r.type()), r.soft(), r.hard(), r.type()));
        ops.add(Op.chdir(process.cwd()));
        ops.add(Op.resolveExec(process.args().getFirst(), process.getenv("PATH").orElse(DEFAULT_PATH)));
    }

    /** Credentials, capabilities, no_new_privs and seccomp, in runc's order; then exec. */
    private void finish(List<Op> ops, Spec.Process process, Linux linux, int firstFreeFd) {
        var user = process.user();
        ops.add(Op.umask(user.umask() == null ? 022 : user.umask()));
        SeccompProgram filter = linux.seccomp() == null ? null : compileSeccomp(linux);
        // Without no_new_privs the filter must go in while CAP_SYS_ADMIN is still held.
        if (filter != null && !process.noNewPrivileges()) ops.add(Op.seccomp(filter.filterFlags(), filter.filter()));
        var caps = process.capabilities();
        if (caps != null) ops.add(Op.bounding(orZero(Capability.mask(caps.bounding()))));
        ops.add(Op.creds(user.uid(), user.gid(), user.additionalGids()));
        if (caps != null) {
            long permitted = orZero(Capability.mask(caps.permitted()));
            long inheritable = orZero(Capability.mask(caps.inheritable()));
            // The kernel raises an ambient capability only if it is permitted and inheritable; runc drops
            // the others silently, and so do we.
            long ambient = orZero(Capability.mask(caps.ambient())) & permitted & inheritable;
            ops.add(Op.caps(orZero(Capability.mask(caps.effective())), permitted, inheritable, ambient));
        }
        if (process.noNewPrivileges()) ops.add(Op.noNewPrivs());
        if (filter != null && process.noNewPrivileges()) ops.add(Op.seccomp(filter.filterFlags(), filter.filter()));
        ops.add(Op.closeFds(firstFreeFd));
        ops.add(Op.exec(process.args(), process.env()));
    }

    private SeccompProgram compileSeccomp(Linux linux) {
        try {
            return seccomp.get().compile(linux.seccomp());
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException(e.getMessage());
        }
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }

    private static void mount(List<Op> ops, Mount m, Spec spec, CreateContext ctx) {
        MountOptions o = MountOptions.parse(m.options());
        String dst = m.destination();
        String type = m.type() == null ? "" : m.type();
        Linux linux = spec.linux();
        if (type.equals("cgroup")) {
            cgroupMount(ops, dst, o, ctx.cgroupDirs(), linux.createsNamespace("cgroup"));
            return;
        }
        if (type.equals("sysfs") && !linux.createsNamespace("network")) {
            // sysfs can only be mounted by the owner of the network namespace: bind the host's instead (runc).
            bind(ops, "/sys", dst, MS_BIND | MS_REC | (o.flags() & ~MS_BIND), o, true);
            return;
        }
        if (type.equals("mqueue") && !linux.createsNamespace("ipc")) {
            bind(ops, "/dev/mqueue", dst, MS_BIND | MS_REC | (o.flags() & ~MS_BIND), o, true);
            return;
        }
        if (o.isBind()) {
            String src = m.source() == null ? "" : m.source();
            Path hostSrc = Path.of(src);
            if (!hostSrc.isAbsolute()) hostSrc = ctx.bundle().resolve(src);
            if (!Files.exists(hostSrc)) {
                throw new InvalidSpecException("mounts: bind source " + hostSrc + " for " + dst + " does not exist");
            }
            bind(ops, hostSrc.toString(), dst, o.flags(), o, Files.isDirectory(hostSrc));
            return;
        }
        ops.add(Op.mkdirInRoot(dst, 0755));
        String source = m.source() == null || m.source().isEmpty() ? type : m.source();
        ops.add(Op.mountInRoot(source, dst, type, o.flags(), o.data(), "mount " + type + " on " + dst));
        for (long p : o.propagations()) ops.add(Op.mountInRoot("", dst, "", p, "", "set propagation of " + dst));
    }

    private static void bind(List<Op> ops, String src, String dst, long flags, MountOptions o, boolean directory) {
        if (directory) {
            ops.add(Op.mkdirInRoot(dst, 0755));
        } else {
            String parent = Path.of(dst).getParent() == null ? "/" : Path.of(dst).getParent().toString();
            ops.add(Op.mkdirInRoot(parent, 0755));
            ops.add(Op.mkfileInRoot(dst, 0644));
        }
        ops.add(Op.mountInRoot(src, dst, "", flags & (MS_BIND | MS_REC), o.data(), "bind mount " + src + " on " + dst));
        long rest = flags & ~(MS_BIND | MS_REC | MS_REMOUNT);
        if (rest != 0) ops.add(Op.remountInRoot(dst, rest));
        for (long p : o.propagations()) ops.add(Op.mountInRoot("", dst, "", p, "", "set propagation of " + dst));
    }

    /**
     * The container's own cgroups at the "cgroup" mount: on v2 a fresh cgroup2 mount when it has its own
     * cgroup namespace (it then shows the namespace root), else its directory bound; on v1 a tmpfs with
     * its directory of each hierarchy bound into it (runc does the same; a new v1 mount is refused in a
     * user namespace).
     */
    private static void cgroupMount(List<Op> ops, String dst, MountOptions o, Map<String, Path> dirs, boolean cgroupns) {
        long flags = o.flags() & ~MS_BIND;
        long locked = (flags & MS_RDONLY) | MS_NOSUID | MS_NODEV | MS_NOEXEC;
        ops.add(Op.mkdirInRoot(dst, 0755));
        Path v2 = dirs.get("");
        if (v2 != null) {
            if (cgroupns) {
                ops.add(Op.mountInRoot("cgroup", dst, "cgroup2", flags, "", "mount cgroup2 on " + dst));
            } else {
                ops.add(Op.mountInRoot(v2.toString(), dst, "", MS_BIND | MS_REC, "", "bind mount cgroup " + v2 + " on " + dst));
                ops.add(Op.remountInRoot(dst, locked));
            }
            return;
        }
        ops.add(Op.mountInRoot("tmpfs", dst, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=755",
                "mount tmpfs on " + dst));
        dirs.forEach((name, source) -> {
            String sub = dst + "/" + name;
            ops.add(Op.mkdirInRoot(sub, 0755));
            ops.add(Op.mountInRoot(source.toString(), sub, "", MS_BIND | MS_REC, "", "bind mount cgroup " + source + " on " + sub));
            ops.add(Op.remountInRoot(sub, locked));
        });
        if ((flags & MS_RDONLY) != 0) ops.add(Op.remountInRoot(dst, locked));
    }

    private static void devices(List<Op> ops, Linux linux, HostFacts host) {
        boolean userns = linux.namespace("user").isPresent();
        List<Device> all = new ArrayList<>(DEFAULT_DEVICES);
        for (Device d : linux.devices()) {
            all.removeIf(x -> x.path().equals(d.path()));
            all.add(d);
        }
        for (Device d : all) {
            String parent = Path.of(d.path()).getParent().toString();
            ops.add(Op.mkdirInRoot(parent, 0755));
            if (userns) {
                // mknod is not allowed in a user namespace: bind the host's node instead (runc).
                ops.add(Op.mkfileInRoot(d.path(), 0644));
                ops.add(Op.mountInRoot(d.path(), d.path(), "", MS_BIND, "", "bind mount device " + d.path()));
            } else {
                long kind = switch (d.type()) {
                    case "b" -> S_IFBLK;
                    case "p" -> S_IFIFO;
                    default -> S_IFCHR;
                };
                long mode = kind | (d.fileMode() == null ? 0666 : d.fileMode() & 07777);
                ops.add(Op.mknodInRoot(d.path(), mode, d.major(), d.minor(), d.uid() == null ? 0 : d.uid(),
                        d.gid() == null ? 0 : d.gid()));
            }
        }
        ops.add(Op.symlinkInRoot("/proc/self/fd", "/dev/fd"));
        ops.add(Op.symlinkInRoot("/proc/self/fd/0", "/dev/stdin"));
        ops.add(Op.symlinkInRoot("/proc/self/fd/1", "/dev/stdout"));
        ops.add(Op.symlinkInRoot("/proc/self/fd/2", "/dev/stderr"));
        ops.add(Op.symlinkInRoot("pts/ptmx", "/dev/ptmx"));
        if (host.hasKcore()) ops.add(Op.symlinkInRoot("/proc/kcore", "/dev/core"));
    }
}
