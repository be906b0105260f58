package berth.cli.client;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the daemon listens, chosen as the docker CLI chooses: {@code -H/--host}, else {@code DOCKER_HOST},
 * else the default socket. Only {@code unix://} addresses are supported.
 */
public record DaemonHost(String uri, Path socket, boolean isDefault) {
    public static final String DEFAULT = "unix:///run/berth/berth.sock";

    public static DaemonHost choose(String flag, Map<String, String> env) {
        if (flag != null && !flag.isEmpty()) return parse(flag, false);
        String fromEnv = env.get("DOCKER_HOST");
        if (fromEnv != null && !fromEnv.isEmpty()) return parse(fromEnv, false);
        return parse(DEFAULT, true);
    }

    static DaemonHost parse(String uri, boolean isDefault) {
        if (uri.startsWith("unix://")) {
            String path = uri.substring("unix://".length());
            if (path.isEmpty()) throw new IllegalArgumentException("invalid daemon address \"" + uri + "\": no socket path");
            return new DaemonHost(uri, Path.of(path), isDefault);
        }
        if (uri.startsWith("/")) return new DaemonHost("unix://" + uri, Path.of(uri), isDefault);
        int scheme = uri.indexOf("://");
        String kind = scheme > 0 ? uri.substring(0, scheme) : "tcp";
        throw new IllegalArgumentException("daemon address \"" + uri + "\" is not supported: berth speaks to its daemon over "
                + "unix:// sockets only, not " + kind + "://");
    }
}
