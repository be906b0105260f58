package berth.image;

import com.fasterxml.jackson.core.type.TypeReference;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Dockerfile instructions applied to an image's run config, as {@code import -c} and {@code commit -c}
 * take them: CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL, EXPOSE, VOLUME, STOPSIGNAL.
 */
public final class ConfigChanges {
    private ConfigChanges() {}

    public static ImageConfig.RunConfig apply(ImageConfig.RunConfig base, List<String> changes) {
        ImageConfig.RunConfig c = base != null ? base
                : new ImageConfig.RunConfig(null, null, null, null, null, null, null, null, null, null, null, null, null);
        for (String change : changes) c = apply(c, change.strip());
        return c;
    }

    private static ImageConfig.RunConfig apply(ImageConfig.RunConfig c, String change) {
        int sp = change.indexOf(' ');
        if (sp < 0) throw new IllegalArgumentException("invalid change \"" + change + "\": want INSTRUCTION arguments");
        String op = change.substring(0, sp).toUpperCase(Locale.ROOT);
        String arg = change.substring(sp + 1).strip();
        return switch (op) {
            case "CMD" -> with(c, "cmd", command(arg));
            case "ENTRYPOINT" -> with(c, "entrypoint", command(arg));
            case "WORKDIR" -> with(c, "workingDir", arg);
            case "USER" -> with(c, "user", arg);
            case "STOPSIGNAL" -> with(c, "stopSignal", arg);
            case "ENV" -> with(c, "env", env(c.env(), arg));
            case "LABEL" -> with(c, "labels", labels(c.labels(), arg));
            case "EXPOSE" -> with(c, "exposedPorts", set(c.exposedPorts(), ports(arg)));
            case "VOLUME" -> with(c, "volumes", set(c.volumes(), arg.startsWith("[") ? json(arg) : List.of(arg.split("\\s+"))));
            default -> throw new IllegalArgumentException("invalid change \"" + change + "\": " + op
                    + " is not one of CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL, EXPOSE, VOLUME, STOPSIGNAL");
        };
    }

    /** JSON (exec) form as given; anything else is shell form, run by /bin/sh -c. */
    static List<String> command(String arg) {
        if (arg.startsWith("[")) return json(arg);
        return List.of("/bin/sh", "-c", arg);
    }

    private static List<String> json(String arg) {
        return ImageJson.read(arg.getBytes(java.nio.charset.StandardCharsets.UTF_8), new TypeReference<List<String>>() {},
                "JSON array " + arg);
    }

    private static List<String> env(List<String> current, String arg) {
        List<String> env = new ArrayList<>(current != null ? current : List.of());
        for (String[] kv : pairs(arg)) {
            env.removeIf(e -> e.startsWith(kv[0] + "="));
            env.add(kv[0] + "=" + kv[1]);
        }
        return env;
    }

    private static Map<String, String> labels(Map<String, String> current, String arg) {
        Map<String, String> l = new LinkedHashMap<>(current != null ? current : Map.of());
        for (String[] kv : pairs(arg)) l.put(kv[0], kv[1]);
        return l;
    }

    /** {@code k=v k2="v 2"} or the legacy {@code k v with spaces}. */
    private static List<String[]> pairs(String arg) {
        List<String[]> out = new ArrayList<>();
        int eq = arg.indexOf('='), sp = arg.indexOf(' ');
        if (eq < 0 || (sp >= 0 && sp < eq)) {
            if (sp < 0) throw new IllegalArgumentException("\"" + arg + "\": want KEY=VALUE or KEY VALUE");
            out.add(new String[] {arg.substring(0, sp), arg.substring(sp + 1).strip()});
            return out;
        }
        for (String word : words(arg)) {
            int e = word.indexOf('=');
            if (e <= 0) throw new IllegalArgumentException("\"" + word + "\": want KEY=VALUE");
            out.add(new String[] {word.substring(0, e), word.substring(e + 1)});
        }
        return out;
    }

    /** Splits on spaces outside double quotes, dropping the quotes. */
    private static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '"') quoted = !quoted;
            else if (ch == '\\' && i + 1 < s.length()) cur.append(s.charAt(++i));
            else if (ch == ' ' && !quoted) {
                if (!cur.isEmpty()) out.add(cur.toString());
                cur.setLength(0);
            } else cur.append(ch);
        }
        if (!cur.isEmpty()) out.add(cur.toString());
        return out;
    }

    private static List<String> ports(String arg) {
        List<String> out = new ArrayList<>();
        for (String p : arg.split("\\s+")) out.add(p.contains("/") ? p : p + "/tcp");
        return out;
    }

    private static Map<String, Object> set(Map<String, Object> current, List<String> keys) {
        Map<String, Object> m = new LinkedHashMap<>(current != null ? current : Map.of());
        for (String k : keys) m.put(k, Map.of());
        return m;
    }

    private static ImageConfig.RunConfig with(ImageConfig.RunConfig c, String field, Object v) {
        return new ImageConfig.RunConfig(
                field.equals("user") ? (String) v : c.user(),
                field.equals("exposedPorts") ? cast(v) : c.exposedPorts(),
                field.equals("env") ? cast(v) : c.env(),
                field.equals("entrypoint") ? cast(v) : c.entrypoint(),
                field.equals("cmd") ? cast(v) : c.cmd(),
                field.equals("volumes") ? cast(v) : c.volumes(),
                field.equals("workingDir") ? (String) v : c.workingDir(),
                field.equals("labels") ? cast(v) : c.labels(),
                field.equals("stopSignal") ? (String) v : c.stopSignal(),
                c.healthcheck(), c.onBuild(), c.shell(), c.argsEscaped());
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }
}
