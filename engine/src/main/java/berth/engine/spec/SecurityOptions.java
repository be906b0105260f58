package berth.engine.spec;

import java.util.List;

/**
 * HostConfig.SecurityOpt as dockerd's {@code parseSecurityOpt} reads it. berth honours no-new-privileges and
 * seccomp; label (SELinux) and apparmor options are accepted and have no effect.
 *
 * @param noNewPrivileges whether the process may not gain privileges (setuid binaries, file capabilities)
 * @param seccomp         null for Docker's default profile, "unconfined", or a profile's JSON text (the docker
 *                        CLI reads {@code --security-opt seccomp=file.json} and sends the file's content)
 */
public record SecurityOptions(boolean noNewPrivileges, String seccomp) {
    public static final String UNCONFINED = "unconfined";

    /**
     * Parses the options.
     *
     * @throws IllegalArgumentException "invalid --security-opt 1: ..." or "invalid --security-opt 2: ..." as dockerd
     */
    public static SecurityOptions parse(List<String> options) {
        boolean noNewPrivileges = false;
        String seccomp = null;
        for (String opt : options) {
            if (opt.equals("no-new-privileges")) {
                noNewPrivileges = true;
                continue;
            }
            if (opt.equals("disable")) continue;
            int sep = opt.indexOf('=');
            if (sep < 0) sep = opt.indexOf(':');
            if (sep < 0) throw new IllegalArgumentException("invalid --security-opt 1: " + GoText.quote(opt));
            String key = opt.substring(0, sep), value = opt.substring(sep + 1);
            switch (key) {
                case "label", "apparmor" -> { }
                case "seccomp" -> seccomp = value.equals("builtin") ? null : value;
                case "no-new-privileges" -> {
                    Boolean b = GoText.parseBool(value);
                    if (b == null) throw new IllegalArgumentException("invalid --security-opt 2: " + GoText.quote(opt));
                    noNewPrivileges = b;
                }
                default -> throw new IllegalArgumentException("invalid --security-opt 2: " + GoText.quote(opt));
            }
        }
        return new SecurityOptions(noNewPrivileges, seccomp);
    }
}
