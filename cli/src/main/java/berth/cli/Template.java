package berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The subset of Go's text/template that {@code --format} is used with in practice, over JSON data: fields
 * ({@code .State.Running}, {@code $v.Name}), string and number literals, pipelines ({@code .Name | upper}),
 * {@code if}/{@code else}, {@code range} (with {@code $i, $v :=}), variables, {@code {{-}}/{@code -}}}
 * trimming, and the functions of {@link TemplateFunctions}. Values
 * print as Go prints them ({@code [a b]}, {@code map[k:v]}, {@code <no value>}). Anything else is an error
 * that names what is not supported.
 */
final class Template {
    private sealed interface Node permits Text, Action, If, Range {}

    private record Text(String text) implements Node {}

    private record Action(Pipeline pipeline) implements Node {}

    private record If(Pipeline cond, List<Node> then, List<Node> otherwise) implements Node {}

    private record Range(List<String> vars, Pipeline over, List<Node> body, List<Node> otherwise) implements Node {}

    private record Pipeline(String declare, List<List<Token>> commands) {}

    private enum Kind { FIELD, VARIABLE, STRING, NUMBER, IDENT, PIPE, DECLARE, COMMA }

    private record Token(Kind kind, String text) {}

    private final List<Node> nodes;

    private Template(List<Node> nodes) {
        this.nodes = nodes;
    }

    static Template parse(String source) {
        List<Object> parts = split(source);
        Parser p = new Parser(parts);
        List<Node> nodes = p.block(false);
        return new Template(nodes);
    }

    String execute(JsonNode data) {
        StringBuilder out = new StringBuilder();
        Map<String, Object> vars = new HashMap<>();
        vars.put("$", data);
        run(nodes, data, vars, out);
        return out.toString();
    }

    // ---- lexing: text and actions, with {{- and -}} trimming

    private static List<Object> split(String s) {
        List<Object> parts = new ArrayList<>();
        int i = 0;
        StringBuilder text = new StringBuilder();
        while (i < s.length()) {
            int open = s.indexOf("{{", i);
            if (open < 0) {
                text.append(s, i, s.length());
                break;
            }
            text.append(s, i, open);
            int close = s.indexOf("}}", open + 2);
            if (close < 0) throw error("unclosed action");
            String inner = s.substring(open + 2, close);
            if (inner.startsWith("- ") || inner.equals("-")) {
                int end = text.length();
                while (end > 0 && Character.isWhitespace(text.charAt(end - 1))) end--;
                text.setLength(end);
                inner = inner.substring(1);
            }
            boolean trimAfter = inner.endsWith(" -");
            if (trimAfter) inner = inner.substring(0, inner.length() - 2);
            if (!text.isEmpty()) parts.add(text.toString());
            text.setLength(0);
            parts.add(tokens(inner.strip()));
            i = close + 2;
            if (trimAfter) while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }
        if (!text.isEmpty()) parts.add(text.toString());
        return parts;
    }

    private static List<Token> tokens(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"' || c == '`') {
                int j = i + 1;
                StringBuilder b = new StringBuilder();
                while (j < s.length() && s.charAt(j) != c) {
                    char d = s.charAt(j);
                    if (c == '"' && d == '\\' && j + 1 < s.length()) {
                        char e = s.charAt(++j);
                        b.append(switch (e) {
                            case 'n' -> '\n';
                            case 't' -> '\t';
                            default -> e;
                        });
                    } else {
                        b.append(d);
                    }
                    j++;
                }
                if (j >= s.length()) throw error("unterminated string in {{" + s + "}}");
                out.add(new Token(Kind.STRING, b.toString()));
                i = j + 1;
            } else if (c == '|') {
                out.add(new Token(Kind.PIPE, "|"));
                i++;
            } else if (c == ',') {
                out.add(new Token(Kind.COMMA, ","));
                i++;
            } else if (s.startsWith(":=", i)) {
                out.add(new Token(Kind.DECLARE, ":="));
                i += 2;
            } else if (c == '(' || c == ')') {
                throw error("parenthesized pipelines are not supported: {{" + s + "}}");
            } else {
                int j = i;
                while (j < s.length() && !Character.isWhitespace(s.charAt(j)) && "|,()\"".indexOf(s.charAt(j)) < 0
                        && !s.startsWith(":=", j)) j++;
                String word = s.substring(i, j);
                Kind kind = word.startsWith(".") ? Kind.FIELD : word.startsWith("$") ? Kind.VARIABLE
                        : word.matches("-?\\d+(\\.\\d+)?") ? Kind.NUMBER : Kind.IDENT;
                out.add(new Token(kind, word));
                i = j;
            }
        }
        return out;
    }

    // ---- parsing: nested if/range/else/end

    private static final class Parser {
        private final List<Object> parts;
        private int at;
        private String stoppedAt;

        Parser(List<Object> parts) {
            this.parts = parts;
        }

        /** Nodes until {{end}} or {{else}} (recorded in stoppedAt), or the end of input if not nested. */
        List<Node> block(boolean nested) {
            List<Node> nodes = new ArrayList<>();
            while (at < parts.size()) {
                Object part = parts.get(at++);
                if (part instanceof String s) {
                    nodes.add(new Text(s));
                    continue;
                }
                @SuppressWarnings("unchecked")
                List<Token> t = (List<Token>) part;
                if (t.isEmpty()) throw error("empty action {{}}");
                String first = t.getFirst().kind() == Kind.IDENT ? t.getFirst().text() : "";
                switch (first) {
                    case "end", "else" -> {
                        if (!nested) throw error("unexpected {{" + first + "}}");
                        stoppedAt = first;
                        return nodes;
                    }
                    case "if" -> {
                        Pipeline cond = pipeline(t.subList(1, t.size()));
                        List<Node> then = block(true);
                        List<Node> otherwise = "else".equals(stoppedAt) ? block(true) : List.of();
                        nodes.add(new If(cond, then, otherwise));
                    }
                    case "range" -> {
                        List<Token> rest = t.subList(1, t.size());
                        List<String> vars = new ArrayList<>();
                        int decl = indexOf(rest, Kind.DECLARE);
                        if (decl >= 0) {
                            for (Token v : rest.subList(0, decl)) if (v.kind() == Kind.VARIABLE) vars.add(v.text());
                            rest = rest.subList(decl + 1, rest.size());
                        }
                        Pipeline over = pipeline(rest);
                        List<Node> body = block(true);
                        List<Node> otherwise = "else".equals(stoppedAt) ? block(true) : List.of();
                        nodes.add(new Range(vars, over, body, otherwise));
                    }
                    case "with", "define", "template", "block" -> throw error("{{" + first + "}} is not supported");
                    default -> nodes.add(new Action(pipeline(t)));
                }
            }
            if (nested) throw error("missing {{end}}");
            return nodes;
        }
    }

    private static int indexOf(List<Token> t, Kind k) {
        for (int i = 0; i < t.size(); i++) if (t.get(i).kind() == k) return i;
        return -1;
    }

    private static Pipeline pipeline(List<Token> t) {
        String declare = null;
        if (t.size() >= 2 && t.get(0).kind() == Kind.VARIABLE && t.get(1).kind() == Kind.DECLARE) {
            declare = t.get(0).text();
            t = t.subList(2, t.size());
        }
        List<List<Token>> commands = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        for (Token tok : t) {
            if (tok.kind() == Kind.PIPE) {
                if (current.isEmpty()) throw error("missing command before |");
                commands.add(current);
                current = new ArrayList<>();
            } else {
                current.add(tok);
            }
        }
        if (current.isEmpty()) throw error("missing command");
        commands.add(current);
        return new Pipeline(declare, commands);
    }

    // ---- evaluation

    private static void run(List<Node> nodes, Object dot, Map<String, Object> vars, StringBuilder out) {
        for (Node n : nodes) {
            switch (n) {
                case Text t -> out.append(t.text());
                case Action a -> {
                    Object v = eval(a.pipeline(), dot, vars);
                    if (a.pipeline().declare() == null) out.append(print(v));
                }
                case If i -> run(truthy(eval(i.cond(), dot, vars)) ? i.then() : i.otherwise(), dot, vars, out);
                case Range r -> range(r, dot, vars, out);
            }
        }
    }

    private static void range(Range r, Object dot, Map<String, Object> vars, StringBuilder out) {
        Object over = eval(r.over(), dot, vars);
        if (!(over instanceof JsonNode node) || node.isEmpty() || !(node.isArray() || node.isObject())) {
            if (over instanceof JsonNode node2 && !node2.isArray() && !node2.isObject() && !node2.isNull() && !node2.isMissingNode()) {
                throw error("range can't iterate over " + print(over));
            }
            run(r.otherwise(), dot, vars, out);
            return;
        }
        List<Object[]> items = new ArrayList<>();
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) items.add(new Object[] {JsonNodeFactory.instance.numberNode(i), node.get(i)});
        } else {
            List<String> keys = new ArrayList<>();
            node.fieldNames().forEachRemaining(keys::add);
            keys.sort(null);
            for (String k : keys) items.add(new Object[] {JsonNodeFactory.instance.textNode(k), node.get(k)});
        }
        for (Object[] item : items) {
            Map<String, Object> scope = new HashMap<>(vars);
            if (r.vars().size() == 1) scope.put(r.vars().getFirst(), item[1]);
            if (r.vars().size() == 2) {
                scope.put(r.vars().get(0), item[0]);
                scope.put(r.vars().get(1), item[1]);
            }
            run(r.body(), item[1], scope, out);
        }
    }

    private static Object eval(Pipeline p, Object dot, Map<String, Object> vars) {
        Object value = null;
        boolean first = true;
        for (List<Token> cmd : p.commands()) {
            value = command(cmd, dot, vars, first ? null : value, !first);
            first = false;
        }
        if (p.declare() != null) vars.put(p.declare(), value);
        return value;
    }

    private static Object command(List<Token> cmd, Object dot, Map<String, Object> vars, Object piped, boolean hasPiped) {
        Token head = cmd.getFirst();
        if (head.kind() != Kind.IDENT || head.text().equals("true") || head.text().equals("false") || head.text().equals("nil")) {
            if (cmd.size() > 1) throw error("can't give arguments to " + head.text());
            if (hasPiped) throw error("can't pipe into " + head.text());
            return operand(head, dot, vars);
        }
        List<Object> args = new ArrayList<>();
        for (Token t : cmd.subList(1, cmd.size())) args.add(operand(t, dot, vars));
        if (hasPiped) args.add(piped);
        return TemplateFunctions.call(head.text(), args);
    }

    private static Object operand(Token t, Object dot, Map<String, Object> vars) {
        return switch (t.kind()) {
            case STRING -> t.text();
            case NUMBER -> new BigDecimal(t.text());
            case FIELD -> t.text().equals(".") ? dot : fields(dot, t.text().substring(1));
            case VARIABLE -> {
                int dotAt = t.text().indexOf('.');
                String name = dotAt < 0 ? t.text() : t.text().substring(0, dotAt);
                if (!vars.containsKey(name)) throw error("undefined variable: " + name);
                Object v = vars.get(name);
                yield dotAt < 0 ? v : fields(v, t.text().substring(dotAt + 1));
            }
            case IDENT -> switch (t.text()) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                case "nil" -> null;
                default -> throw error("function \"" + t.text() + "\" can only be called first in a command");
            };
            default -> throw error("unexpected \"" + t.text() + "\"");
        };
    }

    private static Object fields(Object from, String path) {
        Object v = from;
        for (String name : path.split("\\.")) {
            if (name.isEmpty()) continue;
            if (!(v instanceof JsonNode n) || !(n.isObject() || n.isMissingNode() || n.isNull())) {
                throw error("can't evaluate field " + name + " in " + describe(v));
            }
            v = n.isObject() && n.has(name) ? n.get(name) : MissingNode.getInstance();
        }
        return v;
    }

    static String describe(Object v) {
        if (v instanceof JsonNode n) return n.isArray() ? "a list" : n.isTextual() ? "a string" : n.isNumber() ? "a number" : "a value";
        return v == null ? "nil" : "a " + v.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    static boolean truthy(Object v) {
        if (v == null) return false;
        if (v instanceof Boolean b) return b;
        if (v instanceof String s) return !s.isEmpty();
        if (v instanceof BigDecimal d) return d.signum() != 0;
        if (v instanceof JsonNode n) {
            if (n.isMissingNode() || n.isNull()) return false;
            if (n.isBoolean()) return n.asBoolean();
            if (n.isNumber()) return n.asDouble() != 0;
            if (n.isTextual()) return !n.asText().isEmpty();
            return !n.isEmpty();
        }
        return true;
    }

    /** A value as Go's fmt prints it with %v. */
    static String print(Object v) {
        if (v == null) return "<nil>";
        if (v instanceof BigDecimal d) return d.toPlainString();
        if (!(v instanceof JsonNode n)) return v.toString();
        if (n.isMissingNode()) return "<no value>";
        if (n.isNull()) return "<nil>";
        if (n.isTextual()) return n.asText();
        if (n.isIntegralNumber()) return n.bigIntegerValue().toString();
        if (n.isNumber()) return n.decimalValue().stripTrailingZeros().toPlainString();
        if (n.isArray()) {
            StringBuilder b = new StringBuilder("[");
            for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
                b.append(print(it.next()));
                if (it.hasNext()) b.append(' ');
            }
            return b.append(']').toString();
        }
        if (n.isObject()) {
            List<String> keys = new ArrayList<>();
            n.fieldNames().forEachRemaining(keys::add);
            keys.sort(null);
            StringBuilder b = new StringBuilder("map[");
            for (int i = 0; i < keys.size(); i++) {
                if (i > 0) b.append(' ');
                b.append(keys.get(i)).append(':').append(print(n.get(keys.get(i))));
            }
            return b.append(']').toString();
        }
        return n.asText();
    }

    static JsonNode toJson(Object v) {
        if (v instanceof JsonNode n) return n.isMissingNode() ? JsonNodeFactory.instance.nullNode() : n;
        if (v == null) return JsonNodeFactory.instance.nullNode();
        if (v instanceof String s) return JsonNodeFactory.instance.textNode(s);
        if (v instanceof BigDecimal d) return JsonNodeFactory.instance.numberNode(d);
        if (v instanceof Boolean b) return JsonNodeFactory.instance.booleanNode(b);
        return JsonNodeFactory.instance.textNode(v.toString());
    }

    static IllegalArgumentException error(String what) {
        return new IllegalArgumentException("template: " + what);
    }
}
