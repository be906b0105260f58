package berth.engine.volumes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code filters} of {@code GET /volumes} and {@code POST /volumes/prune}, matched as Docker matches them:
 * different keys must all match; {@code name} matches a name equal to a value or containing a match of it as
 * a regular expression; every {@code label} value ({@code key} or {@code key=value}) must match; a volume is
 * excluded if every {@code label!} value matches; {@code driver} is one of the values; {@code dangling=true}
 * (or {@code 1}) keeps the volumes no container uses, {@code false} (or {@code 0}) the others. For prune, only
 * anonymous volumes are candidates unless {@code all} is true.
 */
final class VolumeFilters {
    private static final Set<String> LIST_KEYS = Set.of("dangling", "name", "driver", "label");
    private static final Set<String> PRUNE_KEYS = Set.of("label", "label!", "all");

    private final Map<String, List<String>> filters;

    private VolumeFilters(Map<String, List<String>> filters) {
        this.filters = filters;
    }

    /** The filters of {@code GET /volumes}; a key it does not know is refused. */
    static VolumeFilters forList(Map<String, List<String>> filters) {
        VolumeFilters f = new VolumeFilters(validated(filters, LIST_KEYS));
        f.dangling(); // refuses a value that is no boolean before anything is listed
        return f;
    }

    /** The filters of {@code POST /volumes/prune}, with the anonymous-volume label added unless {@code all} is true. */
    static VolumeFilters forPrune(Map<String, List<String>> filters) {
        Map<String, List<String>> f = validated(filters, PRUNE_KEYS);
        List<String> all = f.getOrDefault("all", List.of());
        if (all.size() > 1) throw new VolumeException.Invalid("invalid filter 'all=" + all + "': only one value is expected");
        if (all.isEmpty() || !parseBool("all", all.getFirst())) {
            List<String> labels = new ArrayList<>(f.getOrDefault("label", List.of()));
            labels.add(Volume.ANONYMOUS_LABEL);
            f.put("label", labels);
        }
        return new VolumeFilters(f);
    }

    /** Whether {@code v} passes; {@code inUse}: some container uses it. */
    boolean matches(Volume v, boolean inUse) {
        List<String> drivers = filters.get("driver");
        if (drivers != null && !drivers.contains(v.driver())) return false;
        List<String> names = filters.get("name");
        if (names != null && names.stream().noneMatch(n -> nameMatches(n, v.name()))) return false;
        if (!allLabelsMatch(filters.get("label"), v.labels(), true)) return false;
        List<String> notLabels = filters.get("label!");
        if (notLabels != null && allLabelsMatch(notLabels, v.labels(), false)) return false;
        Boolean dangling = dangling();
        return dangling == null || dangling != inUse;
    }

    private Boolean dangling() {
        List<String> values = filters.get("dangling");
        if (values == null) return null;
        if (values.contains("true") || values.contains("1")) return true;
        if (values.contains("false") || values.contains("0")) return false;
        throw new VolumeException.Invalid("invalid filter 'dangling=" + String.join(",", values) + "'");
    }

    /** Go's {@code filters.Args.MatchKVList}: every value must match; no values matches {@code ifNone}. */
    private static boolean allLabelsMatch(List<String> values, Map<String, String> labels, boolean ifNone) {
        if (values == null || values.isEmpty()) return ifNone;
        for (String value : values) {
            int eq = value.indexOf('=');
            String key = eq < 0 ? value : value.substring(0, eq);
            if (!labels.containsKey(key)) return false;
            if (eq >= 0 && !value.substring(eq + 1).equals(labels.get(key))) return false;
        }
        return true;
    }

    private static boolean nameMatches(String filter, String name) {
        if (filter.equals(name)) return true;
        try {
            return Pattern.compile(filter).matcher(name).find();
        } catch (PatternSyntaxException e) {
            return false;
        }
    }

    private static Map<String, List<String>> validated(Map<String, List<String>> filters, Set<String> accepted) {
        Map<String, List<String>> copy = new HashMap<>();
        for (Map.Entry<String, List<String>> e : filters.entrySet()) {
            if (!accepted.contains(e.getKey())) throw new VolumeException.Invalid("invalid filter '" + e.getKey() + "'");
            copy.put(e.getKey(), List.copyOf(e.getValue()));
        }
        return copy;
    }

    /** Go's {@code strconv.ParseBool}. */
    private static boolean parseBool(String key, String value) {
        return switch (value) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> throw new VolumeException.Invalid("invalid filter '" + key + "': strconv.ParseBool: parsing \"" + value + "\": invalid syntax");
        };
    }
}
