package berth.engine.spec;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Human-readable sizes as the go-units package reads them ("10m", "1.5GB", "512"). */
final class Units {
    private static final Pattern SIZE = Pattern.compile("^(\\d+(?:\\.\\d+)?) ?([kKmMgGtTpP])?[iI]?[bB]?$");
    private static final Map<Character, Double> DECIMAL = Map.of('k', 1e3, 'm', 1e6, 'g', 1e9, 't', 1e12, 'p', 1e15);

    private Units() {}

    /** go-units {@code FromHumanSize}: decimal multipliers (k = 1000), as log options use. */
    static long fromHumanSize(String s) {
        Matcher m = SIZE.matcher(s);
        if (!m.matches()) throw new IllegalArgumentException("invalid size: '" + s + "'");
        double size = Double.parseDouble(m.group(1));
        if (m.group(2) != null) size *= DECIMAL.get(Character.toLowerCase(m.group(2).charAt(0)));
        return (long) size;
    }
}
