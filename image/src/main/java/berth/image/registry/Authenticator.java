package berth.image.registry;

import berth.image.ImageException;
import berth.image.ImageJson;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The registry auth flow. The first request to a host goes out anonymously; its 401 names the scheme
 * ({@code WWW-Authenticate}), which is remembered per host so later requests authenticate up front.
 * Basic sends the stored credentials; Bearer fetches a token from the challenge's realm for the operation's
 * scopes (with the credentials as Basic auth if there are any, anonymously otherwise) and caches it per
 * host and scopes until it expires.
 */
final class Authenticator {
    private static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(60);
    private static final int MAX_TOKEN_RESPONSE = 1 << 20;

    private final HttpClient http;
    private final RegistryHosts hosts;
    private final Function<String, Optional<Credentials>> credentials;
    private final InstantSource clock;
    private final Map<String, AuthChallenge> challenges = new ConcurrentHashMap<>();
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();

    private record Token(String value, Instant expires) {}

    /** @param credentials the credentials for an API host, if any */
    Authenticator(HttpClient http, RegistryHosts hosts, Function<String, Optional<Credentials>> credentials, InstantSource clock) {
        this.http = http;
        this.hosts = hosts;
        this.credentials = credentials;
        this.clock = clock;
    }

    /** The Authorization header for a request of {@code call}, once the host's challenge is known. */
    Optional<String> authorization(Call call) {
        AuthChallenge c = challenges.get(call.host());
        if (c == null) return Optional.empty();
        if (c.is("basic")) return credentials.apply(call.host()).map(Credentials::basicHeader);
        return Optional.of("Bearer " + token(call, c));
    }

    /**
     * After a 401: remembers the host's challenge and drops a token the registry no longer accepts. Returns
     * whether retrying can help: false for Basic without credentials, or a scheme berth does not speak.
     */
    boolean challenged(Call call, HttpHeaders headers) {
        List<AuthChallenge> offered = AuthChallenge.parse(headers.allValues("WWW-Authenticate"));
        AuthChallenge c = offered.stream().filter(a -> a.is("bearer")).findFirst()
                .or(() -> offered.stream().filter(a -> a.is("basic")).findFirst()).orElse(null);
        if (c == null) return false;
        challenges.put(call.host(), c);
        tokens.remove(tokenKey(call));
        return c.is("bearer") || credentials.apply(call.host()).isPresent();
    }

    private static String tokenKey(Call call) {
        return call.host() + " " + String.join(" ", call.scopes());
    }

    private String token(Call call, AuthChallenge c) {
        String key = tokenKey(call);
        Token cached = tokens.get(key);
        if (cached != null && clock.instant().isBefore(cached.expires())) return cached.value();
        Token fresh = fetchToken(call, c);
        tokens.put(key, fresh);
        return fresh.value();
    }

    private Token fetchToken(Call call, AuthChallenge c) {
        String realm = c.param("realm");
        if (realm == null || realm.isEmpty()) throw new ImageException(call.what() + ": the registry's Bearer challenge has no realm");
        URI uri = tokenUri(realm, c.param("service"), call.scopes());
        if (!"https".equals(uri.getScheme()) && !("http".equals(uri.getScheme()) && hosts.plainHttp(uri.getRawAuthority()))) {
            throw new ImageException(call.what() + ": refusing to send credentials to token server " + realm + " (not https)");
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).GET().timeout(Duration.ofMinutes(1));
        if ("http".equals(uri.getScheme())) req.version(HttpClient.Version.HTTP_1_1);
        credentials.apply(call.host()).ifPresent(cr -> req.header("Authorization", cr.basicHeader()));
        byte[] body;
        int status;
        try {
            HttpResponse<InputStream> r = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
            status = r.statusCode();
            try (InputStream in = r.body()) {
                body = in.readNBytes(MAX_TOKEN_RESPONSE);
            }
        } catch (IOException e) {
            throw new ImageException(call.what() + ": token server " + uri.getRawAuthority() + ": " + RegistryHttp.reason(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException(call.what() + ": interrupted", e);
        }
        if (status != 200) throw RegistryErrors.of(call.what(), status, body, call.loginHost());
        JsonNode json = ImageJson.tree(body, "token response from " + uri.getRawAuthority());
        String token = json.path("token").asText("");
        if (token.isEmpty()) token = json.path("access_token").asText("");
        if (token.isEmpty()) throw new ImageException(call.what() + ": token server " + uri.getRawAuthority() + " sent no token");
        long seconds = json.path("expires_in").asLong(0);
        Duration lifetime = seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_TOKEN_LIFETIME;
        // Renew a little early so a token does not expire between the check and the request.
        return new Token(token, clock.instant().plus(lifetime.minus(lifetime.dividedBy(10))));
    }

    static URI tokenUri(String realm, String service, List<String> scopes) {
        StringBuilder q = new StringBuilder();
        if (service != null && !service.isEmpty()) q.append("service=").append(encode(service));
        for (String s : scopes) q.append(q.isEmpty() ? "" : "&").append("scope=").append(encode(s));
        if (q.isEmpty()) return URI.create(realm);
        return URI.create(realm + (realm.contains("?") ? "&" : "?") + q);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
