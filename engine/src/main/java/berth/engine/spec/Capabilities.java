package berth.engine.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A container's capability set from CapAdd, CapDrop and Privileged, as moby's {@code caps.TweakCapabilities}. */
public final class Capabilities {
    /** The 14 capabilities a Docker container has by default ({@code oci.DefaultCapabilities}). */
    public static final List<String> DEFAULT = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
            "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");
    private static final String ALL = "ALL";

    private Capabilities() {}

    /**
     * The capabilities of a container: all of {@code known} when privileged; otherwise the defaults less
     * {@code drop} plus {@code add}, where "ALL" in add means every known capability less drop, and "ALL" in drop
     * means only add. Names may omit the CAP_ prefix and use any case.
     *
     * @throws IllegalArgumentException "unknown capability: \"CAP_X\"" for a name the kernel does not know
     */
    public static List<String> of(List<String> add, List<String> drop, boolean privileged, List<String> known) {
        if (privileged) return known;
        if (add.isEmpty() && drop.isEmpty()) return DEFAULT;
        List<String> adds = normalise(add, known), drops = normalise(drop, known);
        List<String> caps = new ArrayList<>();
        if (adds.contains(ALL)) {
            for (String c : known) if (!drops.contains(c)) caps.add(c);
        } else if (drops.contains(ALL)) {
            caps.addAll(adds);
        } else {
            for (String c : DEFAULT) if (!drops.contains(c)) caps.add(c);
            caps.addAll(adds);
        }
        return caps;
    }

    /** Upper-cased names with the CAP_ prefix ("ALL" stays as it is). */
    static List<String> normalise(List<String> names, List<String> known) {
        List<String> out = new ArrayList<>();
        for (String name : names) {
            String c = name.toUpperCase(Locale.ROOT);
            if (!c.equals(ALL)) {
                if (!c.startsWith("CAP_")) c = "CAP_" + c;
                if (!known.contains(c)) throw new IllegalArgumentException("unknown capability: " + GoText.quote(c));
            }
            out.add(c);
        }
        return out;
    }
}
