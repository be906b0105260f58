package berth.image.snapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * A mount described as data, the serialised form of one mount(2) call: {@code type} {@code source} and
 * {@code options} as mount(8) would take them ({@code ro}, {@code bind}, {@code lowerdir=...}).
 */
public record Mount(String type, String source, List<String> options) {

    public Mount {
        options = List.copyOf(options);
    }

    public static Mount overlay(List<String> lowerTopFirst, String upper, String work) {
        List<String> opts = new ArrayList<>();
        if (upper == null) opts.add("ro");
        opts.add("lowerdir=" + String.join(":", lowerTopFirst));
        if (upper != null) {
            opts.add("upperdir=" + upper);
            opts.add("workdir=" + work);
        }
        opts.add("index=off");
        return new Mount("overlay", "overlay", opts);
    }

    public static Mount bind(String source, boolean readOnly) {
        return new Mount("bind", source, readOnly ? List.of("rbind", "ro") : List.of("rbind", "rw"));
    }

    /** The value of option {@code key=...}, or null. */
    public String option(String key) {
        for (String o : options) {
            if (o.startsWith(key + "=")) return o.substring(key.length() + 1);
        }
        return null;
    }

    public boolean readOnly() {
        return options.contains("ro");
    }

    /** overlay's lower directories, top first. */
    public List<String> lowerDirs() {
        String l = option("lowerdir");
        return l == null ? List.of() : List.of(l.split(":"));
    }
}
