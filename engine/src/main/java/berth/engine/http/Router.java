package berth.engine.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API's routing table: method and path pattern to {@link Handler}. A pattern is like
 * {@code /containers/{id}/json}; a segment {@code {name*}} matches one or more segments greedily (image names
 * contain '/': {@code /images/{name*}/json}). Methods match exactly, except that HEAD falls back to the GET route
 * where no HEAD route exists. When several routes match, the one with more literal segments wins, then the one
 * with fewer greedy segments, then the one registered first. Paths may carry a {@code /vX.Y} version prefix,
 * checked against {@link #MIN_VERSION} and {@link #MAX_VERSION}. Register every route before the server starts.
 */
public final class Router {
    public static final String MIN_VERSION = "1.24";
    public static final String MAX_VERSION = "1.44";
    public static final String DEFAULT_VERSION = "1.44";

    private static final Pattern VERSIONED = Pattern.compile("/v([0-9.]+)(/.*)");
    private static final Comparator<Route> PRECEDENCE = Comparator
            .comparingInt((Route r) -> -r.pattern().literals())
            .thenComparingInt(r -> r.pattern().greedy());

    private record Route(String method, RoutePattern pattern, Handler handler) {
    }

    /** A request resolved to its handler: the version, the path without prefix and the path parameters. */
    record Match(Handler handler, String version, String path, Map<String, String> params) {
    }

    private final List<Route> routes = new ArrayList<>();

    public Router on(String method, String pattern, Handler handler) {
        Objects.requireNonNull(handler, "handler");
        routes.add(new Route(method.toUpperCase(java.util.Locale.ROOT), RoutePattern.parse(pattern), handler));
        routes.sort(PRECEDENCE); // stable: registration order breaks ties
        return this;
    }

    /**
     * Resolves a decoded request path: ApiException 404 {@code page not found} when no route has the path and
     * method (dockerd answers a wrong method with the same 404), 400 when the version is out of range.
     */
    Match resolve(String method, String decodedPath) {
        String version = DEFAULT_VERSION;
        String path = decodedPath;
        Matcher m = VERSIONED.matcher(decodedPath);
        if (m.matches()) {
            version = m.group(1);
            path = m.group(2);
        }
        Match found = find(method, path, version);
        if (found == null && method.equals("HEAD")) {
            found = find("GET", path, version);
        }
        if (found == null) {
            throw new ApiException(404, "page not found");
        }
        if (ApiVersions.compare(version, MIN_VERSION) < 0) {
            throw new ApiException(400, "client version " + version + " is too old. Minimum supported API version is "
                    + MIN_VERSION + ", please upgrade your client to a newer version");
        }
        if (ApiVersions.compare(version, MAX_VERSION) > 0) {
            throw new ApiException(400, "client version " + version
                    + " is too new. Maximum supported API version is " + MAX_VERSION);
        }
        return found;
    }

    private Match find(String method, String path, String version) {
        for (Route r : routes) {
            if (r.method().equals(method)) {
                Map<String, String> params = r.pattern().match(path);
                if (params != null) {
                    return new Match(r.handler(), version, path, Map.copyOf(params));
                }
            }
        }
        return null;
    }
}
