package berth.engine.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A container process's environment, as dockerd's {@code CreateDaemonEnvironment} and runc's HOME rule make it. */
final class Environment {
    private Environment() {}

    /**
     * PATH (Docker's default), HOSTNAME, TERM=xterm for a terminal and the link variables, each replaced by
     * the container's Env where it sets the same name (a name without "=" removes the variable), then HOME from
     * the user's passwd entry unless set.
     */
    static List<String> of(List<String> containerEnv, String hostname, boolean tty, List<String> linkEnv, String home) {
        List<String> defaults = new ArrayList<>();
        defaults.add("PATH=" + OciDefaults.PATH);
        defaults.add("HOSTNAME=" + hostname);
        if (tty) defaults.add("TERM=xterm");
        defaults.addAll(linkEnv);
        List<String> env = replaceOrAppend(defaults, containerEnv);
        if (env.stream().noneMatch(e -> e.startsWith("HOME="))) env.add("HOME=" + home);
        return env;
    }

    /** moby's ReplaceOrAppendEnvValues. */
    static List<String> replaceOrAppend(List<String> defaults, List<String> overrides) {
        List<String> env = new ArrayList<>(defaults);
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < env.size(); i++) index.put(name(env.get(i)), i);
        for (String value : overrides) {
            Integer i = index.get(name(value));
            if (value.indexOf('=') < 0) {
                if (i != null) env.set(i, null);
            } else if (i != null) {
                env.set(i, value);
            } else {
                env.add(value);
            }
        }
        env.removeIf(e -> e == null);
        return env;
    }

    private static String name(String variable) {
        int eq = variable.indexOf('=');
        return eq < 0 ? variable : variable.substring(0, eq);
    }
}
