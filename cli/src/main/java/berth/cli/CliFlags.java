package berth.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The flags of one command and a parser for the docker CLI's grammar (spf13/pflag): {@code --name value},
 * {@code --name=value}, {@code -n value}, {@code -nvalue}, grouped booleans {@code -aq}, {@code --} to end
 * flags. Positional arguments may sit between flags unless the command stops at its first one (as
 * {@code run} does, so the container's own flags stay its own).
 */
final class CliFlags {
    private record Flag(String name, char shorthand, boolean takesValue, String help) {}

    private final Map<String, Flag> longNames = new HashMap<>();
    private final Map<Character, Flag> shortNames = new HashMap<>();
    private final List<Flag> flags = new ArrayList<>();
    private boolean interspersed = true;

    /** A flag with a value; {@code shorthand} 0 for none. */
    CliFlags value(String name, char shorthand, String help) {
        return add(new Flag(name, shorthand, true, help));
    }

    CliFlags bool(String name, char shorthand, String help) {
        return add(new Flag(name, shorthand, false, help));
    }

    /** Flags end at the first positional argument. */
    CliFlags stopAtFirstArgument() {
        interspersed = false;
        return this;
    }

    private CliFlags add(Flag f) {
        flags.add(f);
        longNames.put(f.name(), f);
        if (f.shorthand() != 0) shortNames.put(f.shorthand(), f);
        return this;
    }

    /** Values per flag name, and the positional arguments. */
    record Parsed(Map<String, List<String>> values, List<String> args) {
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

        String arg(int i, String what) {
            if (args.size() <= i) throw new UsageException("requires " + what);
            return args.get(i);
        }
    }

    Parsed parse(List<String> argv) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("--")) {
                positional.addAll(argv.subList(i + 1, argv.size()));
                break;
            }
            if (!a.startsWith("-") || a.equals("-")) {
                if (!interspersed) {
                    positional.addAll(argv.subList(i, argv.size()));
                    break;
                }
                positional.add(a);
                continue;
            }
            if (a.startsWith("--")) {
                String body = a.substring(2);
                String inline = null;
                int eq = body.indexOf('=');
                if (eq >= 0) {
                    inline = body.substring(eq + 1);
                    body = body.substring(0, eq);
                }
                Flag f = longNames.get(body);
                if (f == null) throw new UsageException("unknown flag: --" + body);
                i = take(f, inline, argv, i, values, "--" + body);
            } else {
                for (int j = 1; j < a.length(); j++) {
                    char c = a.charAt(j);
                    Flag f = shortNames.get(c);
                    if (f == null) throw new UsageException("unknown shorthand flag: '" + c + "' in " + a);
                    if (!f.takesValue()) {
                        String inline = j + 1 < a.length() && a.charAt(j + 1) == '=' ? a.substring(j + 2) : null;
                        record(values, f, inline == null ? "true" : inline);
                        if (inline != null) break;
                        continue;
                    }
                    String rest = a.substring(j + 1);
                    if (rest.startsWith("=")) rest = rest.substring(1);
                    i = take(f, rest.isEmpty() ? null : rest, argv, i, values, "-" + c);
                    break;
                }
            }
        }
        return new Parsed(values, positional);
    }

    private static int take(Flag f, String inline, List<String> argv, int i, Map<String, List<String>> values, String spelled) {
        if (!f.takesValue()) {
            String v = inline == null ? "true" : inline;
            if (!v.equals("true") && !v.equals("false")) throw new UsageException("invalid argument \"" + v + "\" for \"" + spelled + "\" flag");
            record(values, f, v);
            return i;
        }
        if (inline != null) {
            record(values, f, inline);
            return i;
        }
        if (i + 1 >= argv.size()) throw new UsageException("flag needs an argument: " + spelled);
        record(values, f, argv.get(i + 1));
        return i + 1;
    }

    private static void record(Map<String, List<String>> values, Flag f, String v) {
        values.computeIfAbsent(f.name(), k -> new ArrayList<>()).add(v);
    }

    boolean hasShorthand(char c) {
        return shortNames.containsKey(c);
    }

    String usage() {
        StringBuilder sb = new StringBuilder();
        for (Flag f : flags) {
            String names = (f.shorthand() != 0 ? "-" + f.shorthand() + ", " : "    ") + "--" + f.name()
                    + (f.takesValue() ? " string" : "");
            sb.append(String.format("  %-30s %s%n", names, f.help()));
        }
        return sb.toString();
    }
}
