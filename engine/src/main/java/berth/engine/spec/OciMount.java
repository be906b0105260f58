package berth.engine.spec;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * One entry of config.json's {@code mounts}. The daemon makes these for the container's volumes, binds and tmpfs
 * mounts ({@link MountRequest#toOci}) and for the files it bind-mounts ({@link #file}); {@link OciSpecBuilder} adds
 * Docker's default mounts around them.
 */
public record OciMount(String destination, String type, String source, List<String> options) {
    public OciMount {
        options = List.copyOf(options);
    }

    /** A bind mount as dockerd writes it: rbind (or bind), then ro, then the propagation if any. */
    public static OciMount bind(String source, String destination, boolean readOnly, String propagation,
                                boolean recursive) {
        List<String> options = new ArrayList<>();
        options.add(recursive ? "rbind" : "bind");
        if (readOnly) options.add("ro");
        if (propagation != null && !propagation.isEmpty()) options.add(propagation);
        return new OciMount(destination, "bind", source, options);
    }

    /**
     * A file the daemon prepared on the host (/etc/hosts, /etc/hostname, /etc/resolv.conf), writable unless the
     * root filesystem is read-only, as dockerd mounts them.
     */
    public static OciMount file(String hostPath, String destination, boolean readonlyRootfs) {
        return bind(hostPath, destination, readonlyRootfs, "rprivate", true);
    }

    /**
     * A tmpfs mount: noexec, nosuid, nodev and rprivate unless {@code data} (e.g. "rw,exec,size=64m") says
     * otherwise, merged as moby's {@code MergeTmpfsOptions} does.
     *
     * @throws IllegalArgumentException "invalid tmpfs option [...]" for an option tmpfs does not take
     */
    public static OciMount tmpfs(String destination, String data) {
        List<String> options = new ArrayList<>(List.of("noexec", "nosuid", "nodev", "rprivate"));
        if (!data.isEmpty()) options.addAll(List.of(data.split(",", -1)));
        return new OciMount(destination, "tmpfs", "tmpfs", TmpfsOptions.merge(options));
    }

    /** This mount with "ro" added if it is not there. */
    OciMount readOnly() {
        if (options.contains("ro")) return this;
        List<String> more = new ArrayList<>(options);
        more.add("ro");
        return new OciMount(destination, type, source, more);
    }

    /** This mount without "ro". */
    OciMount writable() {
        return new OciMount(destination, type, source, options.stream().filter(o -> !o.equals("ro")).toList());
    }

    /** The mount's depth in the container's tree: parents are mounted before children. */
    int depth() {
        String clean = Mounts.clean(destination);
        return clean.equals("/") ? 0 : clean.split("/").length - 1;
    }

    ObjectNode toJson() {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("destination", destination);
        m.put("type", type);
        m.put("source", source);
        options.forEach(m.putArray("options")::add);
        return m;
    }
}
