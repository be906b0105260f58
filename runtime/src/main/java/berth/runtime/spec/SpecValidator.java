package berth.runtime.spec;

import berth.runtime.json.InvalidSpecException;
import berth.runtime.spec.Spec.Linux;
import berth.runtime.spec.Spec.Namespace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Rules that span several fields of a {@link Spec}, checked before anything is created (runc's validator).
 * Each failure is one line naming the field.
 */
public final class SpecValidator {
    private SpecValidator() {}

    /** Validates {@code spec} whose root path has been resolved to {@code rootfs}. */
    public static void validate(Spec spec, Path rootfs) {
        if (spec.process() == null) throw new InvalidSpecException("process: is required to create a container");
        if (!Files.isDirectory(rootfs)) throw new InvalidSpecException("root.path: " + rootfs + " is not a directory");
        Linux l = spec.linux();
        Set<String> seen = new HashSet<>();
        for (Namespace n : l.namespaces()) {
            if (!seen.add(n.type())) throw new InvalidSpecException("linux.namespaces: \"" + n.type() + "\" is listed twice");
            if (n.path() != null && !Files.exists(Path.of(n.path()))) {
                throw new InvalidSpecException("linux.namespaces: " + n.type() + " namespace path " + n.path() + " does not exist");
            }
        }
        if (spec.hostname() != null && !spec.hostname().isEmpty() && !l.createsNamespace("uts")) {
            throw new InvalidSpecException("hostname: setting a hostname needs a new uts namespace");
        }
        if (spec.domainname() != null && !spec.domainname().isEmpty() && !l.createsNamespace("uts")) {
            throw new InvalidSpecException("domainname: setting a domainname needs a new uts namespace");
        }
        boolean userns = l.namespace("user").isPresent();
        if (l.createsNamespace("user") && (l.uidMappings().isEmpty() || l.gidMappings().isEmpty())) {
            throw new InvalidSpecException("linux.uidMappings: a new user namespace needs uidMappings and gidMappings");
        }
        if (!userns && (!l.uidMappings().isEmpty() || !l.gidMappings().isEmpty())) {
            throw new InvalidSpecException("linux.uidMappings: id mappings need a user namespace");
        }
        if (!l.timeOffsets().isEmpty() && !l.createsNamespace("time")) {
            throw new InvalidSpecException("linux.timeOffsets: time offsets need a new time namespace");
        }
        for (String key : l.sysctl().keySet()) validateSysctl(key, l);
        if (l.rootfsPropagation() != null && MountOptions.propagation(l.rootfsPropagation()) == 0) {
            throw new InvalidSpecException("linux.rootfsPropagation: unknown propagation \"" + l.rootfsPropagation() + "\"");
        }
        for (var m : spec.mounts()) {
            if (!m.destination().startsWith("/")) {
                throw new InvalidSpecException("mounts: destination \"" + m.destination() + "\" must be an absolute path");
            }
        }
    }

    private static void validateSysctl(String key, Linux l) {
        boolean ipc = key.startsWith("fs.mqueue.") || Set.of("kernel.msgmax", "kernel.msgmnb", "kernel.msgmni",
                "kernel.sem", "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced").contains(key);
        if (ipc) {
            if (!l.createsNamespace("ipc")) throw new InvalidSpecException("linux.sysctl: " + key + " needs a new ipc namespace");
        } else if (key.startsWith("net.")) {
            if (!l.createsNamespace("network")) throw new InvalidSpecException("linux.sysctl: " + key + " needs a new network namespace");
        } else if (key.equals("kernel.hostname") || key.equals("kernel.domainname")) {
            if (!l.createsNamespace("uts")) throw new InvalidSpecException("linux.sysctl: " + key + " needs a new uts namespace");
        } else {
            throw new InvalidSpecException("linux.sysctl: " + key + " is not namespaced and cannot be set for a container");
        }
    }
}
