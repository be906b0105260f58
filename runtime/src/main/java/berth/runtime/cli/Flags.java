package berth.runtime.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The flags of one verb and a parser for runc's grammar (Go's flag package, as urfave/cli uses it):
 * {@code --name value}, {@code --name=value}, {@code -name value}, short aliases, booleans given alone or
 * as {@code --name=false}; parsing stops at the first positional argument or at {@code --}.
 */
final class Flags {
    private record Flag(String name, boolean takesValue, String help) {}

    private final Map<String, Flag> byAlias = new HashMap<>();
    private final List<Flag> flags = new ArrayList<>();
    private final List<String[]> aliases = new ArrayList<>();

    /** A flag that takes a value; {@code names} are its spellings without dashes, the first is canonical. */
    Flags value(String help, String... names) {
        return add(new Flag(names[0], true, help), names);
    }

    /** A boolean flag. */
    Flags bool(String help, String... names) {
        return add(new Flag(names[0], false, help), names);
    }

    private Flags add(Flag f, String... names) {
        flags.add(f);
        aliases.add(names);
        for (String n : names) byAlias.put(n, f);
        return this;
    }

    /** What a parse found: values per canonical flag name and the positional arguments. */
    record Parsed(Map<String, List<String>> values, List<String> positionals) {
        String get(String name) {
            List<String> v = values.get(name);
            return v == null ? null : v.getLast();
        }

        String get(String name, String dflt) {
            String v = get(name);
            return v == null ? dflt : v;
        }

        List<String> all(String name) {
            return values.getOrDefault(name, List.of());
        }

        boolean is(String name) {
            String v = get(name);
            return v != null && !v.equals("false");
        }

        int integer(String name, int dflt) {
            String v = get(name);
            if (v == null) return dflt;
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new UsageException("--" + name + ": expected a number, got \"" + v + "\"");
            }
        }

        /** Positional {@code i}, required. */
        String arg(int i, String what) {
            if (positionals.size() <= i) throw new UsageException(what + " is required");
            return positionals.get(i);
        }
    }

    Parsed parse(List<String> args) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        int i = 0;
        for (; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                i++;
                break;
            }
            if (!a.startsWith("-") || a.equals("-")) break;
            String body = a.startsWith("--") ? a.substring(2) : a.substring(1);
            String inline = null;
            int eq = body.indexOf('=');
            if (eq >= 0) {
                inline = body.substring(eq + 1);
                body = body.substring(0, eq);
            }
            Flag f = byAlias.get(body);
            if (f == null) throw new UsageException("flag provided but not defined: -" + body);
            String v;
            if (!f.takesValue()) {
                v = inline == null ? "true" : inline;
                if (!v.equals("true") && !v.equals("false")) throw new UsageException("--" + f.name() + ": expected true or false");
            } else if (inline != null) {
                v = inline;
            } else if (i + 1 < args.size()) {
                v = args.get(++i);
            } else {
                throw new UsageException("flag needs an argument: -" + body);
            }
            values.computeIfAbsent(f.name(), k -> new ArrayList<>()).add(v);
        }
        return new Parsed(values, List.copyOf(args.subList(i, args.size())));
    }

    /** Help lines, one per flag. */
    String usage() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < flags.size(); i++) {
            Flag f = flags.get(i);
            if (f.help() == null) continue;
            StringBuilder names = new StringBuilder();
            for (String n : aliases.get(i)) names.append(names.isEmpty() ? "" : ", ").append(n.length() == 1 ? "-" : "--").append(n);
            if (f.takesValue()) names.append(" value");
            sb.append(String.format("   %-28s %s%n", names, f.help()));
        }
        return sb.toString();
    }
}
