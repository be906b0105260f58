package berth.image.registry;

import berth.image.ImageException;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * One registry request as the API needs it: authenticated (anonymously first, then once more after a 401
 * with what the challenge asks for), redirects of GET and HEAD followed by hand (blobs are often served from
 * another host, which must not see the registry's Authorization), and any status the caller did not expect
 * turned into the registry's error as one line.
 */
final class RegistryHttp {
    private static final int MAX_REDIRECTS = 10;
    private static final int MAX_ERROR_BODY = 64 * 1024;
    private static final Duration HEADERS_TIMEOUT = Duration.ofMinutes(1);

    private final HttpClient http;
    private final Authenticator auth;

    RegistryHttp(HttpClient http, Authenticator auth) {
        if (http.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException("the registry client follows redirects itself: build the HttpClient with Redirect.NEVER");
        }
        this.http = http;
        this.auth = auth;
    }

    /** Sends a request of {@code call}; returns the response if its status is one of {@code ok}, else throws. */
    HttpResponse<InputStream> send(Call call, String method, URI uri, Map<String, String> headers, BodyPublisher body,
                                   Set<Integer> ok) {
        URI target = uri;
        boolean authRetried = false;
        int redirects = 0;
        while (true) {
            boolean registryHost = call.host().equals(target.getRawAuthority());
            Optional<String> authorization = registryHost ? auth.authorization(call) : Optional.empty();
            HttpResponse<InputStream> r = exchange(call, method, target, headers, body, authorization);
            int status = r.statusCode();
            if (status == 401 && registryHost && !authRetried) {
                authRetried = true;
                byte[] error = drain(r);
                if (auth.challenged(call, r.headers())) continue;
                throw RegistryErrors.of(call.what(), status, error, call.loginHost());
            }
            if (isRedirect(status) && (method.equals("GET") || method.equals("HEAD")) && !ok.contains(status)) {
                drain(r);
                if (++redirects > MAX_REDIRECTS) throw new ImageException(call.what() + ": too many redirects");
                target = redirect(call, target, r.headers().firstValue("Location").orElse(null));
                continue;
            }
            if (ok.contains(status)) return r;
            throw RegistryErrors.of(call.what(), status, drain(r), call.loginHost());
        }
    }

    private HttpResponse<InputStream> exchange(Call call, String method, URI uri, Map<String, String> headers,
                                               BodyPublisher body, Optional<String> authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).method(method, body);
        if ("http".equals(uri.getScheme())) b.version(HttpClient.Version.HTTP_1_1); // no h2c upgrade dance
        if (method.equals("GET") || method.equals("HEAD")) b.timeout(HEADERS_TIMEOUT);
        headers.forEach(b::header);
        authorization.ifPresent(a -> b.header("Authorization", a));
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new ImageException(call.what() + ": " + reason(e) + " (" + uri.getScheme() + "://" + uri.getRawAuthority() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException(call.what() + ": interrupted", e);
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** The redirect's target; https may not be downgraded to http, and only http(s) is followed. */
    private static URI redirect(Call call, URI from, String location) {
        if (location == null) throw new ImageException(call.what() + ": redirect without a Location");
        URI to;
        try {
            to = from.resolve(location);
        } catch (IllegalArgumentException e) {
            throw new ImageException(call.what() + ": invalid redirect Location " + location);
        }
        boolean allowed = "https".equals(to.getScheme()) || ("http".equals(to.getScheme()) && "http".equals(from.getScheme()));
        if (!allowed) throw new ImageException(call.what() + ": refusing redirect from " + from.getScheme() + " to " + to);
        return to;
    }

    /** The start of an error body (for its message), and the response closed. */
    static byte[] drain(HttpResponse<InputStream> r) {
        try (InputStream in = r.body()) {
            return in.readNBytes(MAX_ERROR_BODY);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /** An I/O failure in a few words. */
    static String reason(IOException e) {
        String m = e.getMessage();
        if (e instanceof ConnectException) return "cannot connect" + (m == null || m.isEmpty() ? "" : ": " + m);
        if (e instanceof HttpTimeoutException) return "timed out";
        if (e instanceof SSLException) return "TLS: " + m + " (if the registry speaks plain HTTP, configure it as insecure)";
        return m == null || m.isEmpty() ? e.getClass().getSimpleName() : m;
    }

    /** The {@code Location} of a response, resolved against the request's URI (it may be relative). */
    static URI location(Call call, HttpResponse<?> r) {
        String loc = r.headers().firstValue("Location").orElse(null);
        if (loc == null || loc.isEmpty()) throw new ImageException(call.what() + ": the registry sent no Location");
        try {
            return r.request().uri().resolve(loc);
        } catch (IllegalArgumentException e) {
            throw new ImageException(call.what() + ": invalid Location " + loc);
        }
    }
}
