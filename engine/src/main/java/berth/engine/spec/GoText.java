package berth.engine.spec;

import java.util.List;

/** Go's formatting and parsing conventions that Docker's messages and options use. */
final class GoText {
    private GoText() {}

    /** Go's %q of a string. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /** Go's %q of a []string: ["a" "b"]. */
    static String quote(List<String> list) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < list.size(); i++) b.append(i == 0 ? "" : " ").append(quote(list.get(i)));
        return b.append(']').toString();
    }

    /** Go's strconv.ParseBool, or null when the text is not a boolean. */
    static Boolean parseBool(String s) {
        return switch (s) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> null;
        };
    }
}
