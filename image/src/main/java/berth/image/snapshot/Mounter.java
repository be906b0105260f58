package berth.image.snapshot;

import berth.sys.Errno;
import berth.sys.SysException;
import berth.sys.Syscalls;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Carries out {@link Mount} descriptions with mount(2), and undoes them. */
public final class Mounter {
    private static final long MS_RDONLY = 1, MS_REMOUNT = 32, MS_BIND = 4096, MS_REC = 16384;
    private static final int MNT_DETACH = 2;
    /** mount(2) copies at most one page of options; leave room for the kernel's terminator. */
    private static final int MAX_DATA = 4000;

    private final Syscalls sys;

    public Mounter(Syscalls sys) {
        this.sys = sys;
    }

    /** Mounts {@code mounts} in order on {@code target}. */
    public void mount(List<Mount> mounts, Path target) {
        for (Mount m : mounts) mount(m, target);
    }

    public void mount(Mount m, Path target) {
        switch (m.type()) {
            case "overlay" -> mountOverlay(m, target);
            case "bind" -> {
                // A bind mount has no file system type; mount(2) ignores it, Syscalls wants it non-null.
                long rec = m.options().contains("rbind") ? MS_REC : 0;
                sys.mount(m.source(), target.toString(), "", MS_BIND | rec, null);
                if (m.readOnly()) {
                    sys.mount(m.source(), target.toString(), "", MS_BIND | MS_REMOUNT | MS_RDONLY | rec, null);
                }
            }
            default -> throw new IllegalArgumentException("unsupported mount type " + m.type());
        }
    }

    private void mountOverlay(Mount m, Path target) {
        List<String> data = new ArrayList<>();
        for (String o : m.options()) if (!o.equals("ro")) data.add(o);
        String joined = String.join(",", data);
        if (joined.length() < MAX_DATA) {
            sys.mount("overlay", target.toString(), "overlay", m.readOnly() ? MS_RDONLY : 0, joined);
        } else {
            // Deep layer stacks do not fit in one page: the new mount API takes the lower dirs one at a time.
            sys.mountOverlay(target.toString(), m.lowerDirs(), m.option("upperdir"), m.option("workdir"));
        }
    }

    /** Unmounts {@code target}; a busy mount is detached lazily. Not mounted is not an error. */
    public void unmount(Path target) {
        try {
            sys.umount(target.toString(), 0);
        } catch (SysException e) {
            if (e.errno() == Errno.EINVAL || e.errno() == Errno.ENOENT) return;
            if (e.errno() != Errno.EBUSY) throw e;
            sys.umount(target.toString(), MNT_DETACH);
        }
    }
}
