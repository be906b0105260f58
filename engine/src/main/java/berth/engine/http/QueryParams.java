package berth.engine.http;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The decoded query parameters of a request, read the way dockerd reads them. */
record QueryParams(Map<String, List<String>> values) {

    String first(String name) {
        List<String> v = values.get(name);
        return v == null || v.isEmpty() ? null : v.getFirst();
    }

    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** dockerd's BoolValueOrDefault: the default when absent; "", "0", "no", "false", "none" are false. */
    boolean bool(String name, boolean dflt) {
        String v = first(name);
        if (v == null) {
            return dflt;
        }
        String s = v.strip().toLowerCase(Locale.ROOT);
        return !(s.isEmpty() || s.equals("0") || s.equals("no") || s.equals("false") || s.equals("none"));
    }

    int integer(String name, int dflt) {
        String v = first(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new ApiException(400, "invalid value for query parameter " + name + ": " + v + " is not an integer");
        }
    }
}
