package berth.cli;

import berth.cli.client.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static berth.cli.Template.describe;
import static berth.cli.Template.error;
import static berth.cli.Template.print;
import static berth.cli.Template.toJson;

/** The functions a {@link Template} may call: json, index, len, lower, upper, title, join, split, print, println, printf. */
final class TemplateFunctions {
    private TemplateFunctions() {}

    static Object call(String name, List<Object> args) {
        return switch (name) {
            case "json" -> {
                need(name, args, 1);
                yield Json.write(toJson(args.getFirst()));
            }
            case "index" -> {
                if (args.size() < 2) throw error("wrong number of args for index: want at least 2 got " + args.size());
                Object v = args.getFirst();
                for (Object key : args.subList(1, args.size())) v = index(v, key);
                yield v;
            }
            case "len" -> {
                need(name, args, 1);
                Object v = args.getFirst();
                if (v instanceof String s) yield new BigDecimal(s.length());
                if (v instanceof JsonNode n && (n.isArray() || n.isObject())) yield new BigDecimal(n.size());
                if (v instanceof JsonNode n && n.isTextual()) yield new BigDecimal(n.asText().length());
                throw error("len of " + describe(v));
            }
            case "lower" -> text(name, args).toLowerCase(Locale.ROOT);
            case "upper" -> text(name, args).toUpperCase(Locale.ROOT);
            case "title" -> {
                String s = text(name, args);
                yield s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
            }
            case "join" -> {
                need(name, args, 2);
                if (!(args.get(0) instanceof JsonNode n) || !n.isArray()) throw error("join needs a list, not " + describe(args.get(0)));
                List<String> items = new ArrayList<>();
                n.forEach(e -> items.add(print(e)));
                yield String.join(print(args.get(1)), items);
            }
            case "split" -> {
                need(name, args, 2);
                ArrayNode a = JsonNodeFactory.instance.arrayNode();
                for (String s : print(args.get(0)).split(java.util.regex.Pattern.quote(print(args.get(1))), -1)) a.add(s);
                yield a;
            }
            case "println" -> {
                List<String> items = new ArrayList<>();
                for (Object a : args) items.add(print(a));
                yield String.join(" ", items) + "\n";
            }
            case "print" -> {
                StringBuilder b = new StringBuilder();
                for (Object a : args) b.append(print(a));
                yield b.toString();
            }
            case "printf" -> {
                if (args.isEmpty()) throw error("printf needs a format");
                yield printf(print(args.getFirst()), args.subList(1, args.size()));
            }
            default -> throw error("function \"" + name + "\" not defined (berth supports json, index, len, lower, upper, "
                    + "title, join, split, print, println, printf)");
        };
    }

    private static Object index(Object v, Object key) {
        if (!(v instanceof JsonNode n)) throw error("can't index " + describe(v));
        if (n.isObject()) return n.has(print(key)) ? n.get(print(key)) : MissingNode.getInstance();
        if (n.isArray()) {
            int i = key instanceof BigDecimal d ? d.intValue() : Integer.parseInt(print(key));
            if (i < 0 || i >= n.size()) throw error("index out of range: " + i);
            return n.get(i);
        }
        if (n.isMissingNode() || n.isNull()) return MissingNode.getInstance();
        throw error("can't index " + describe(v));
    }

    private static String text(String name, List<Object> args) {
        need(name, args, 1);
        return print(args.getFirst());
    }

    private static void need(String name, List<Object> args, int n) {
        if (args.size() != n) throw error("wrong number of args for " + name + ": want " + n + " got " + args.size());
    }

    private static String printf(String format, List<Object> args) {
        StringBuilder b = new StringBuilder();
        int next = 0;
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 >= format.length()) {
                b.append(c);
                continue;
            }
            char verb = format.charAt(++i);
            if (verb == '%') {
                b.append('%');
                continue;
            }
            if (next >= args.size()) {
                b.append("%!").append(verb).append("(MISSING)");
                continue;
            }
            Object a = args.get(next++);
            switch (verb) {
                case 's', 'v', 'd' -> b.append(print(a));
                case 'q' -> b.append('"').append(print(a).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
                default -> throw error("printf verb %" + verb + " is not supported (use %s, %v, %d or %q)");
            }
        }
        return b.toString();
    }
}
