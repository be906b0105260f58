package berth.image.registry;

import java.net.InetAddress;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Which registries are spoken to over plain HTTP: loopback hosts (127.0.0.0/8, ::1, localhost) always,
 * other hosts only when configured as insecure; everything else over https.
 */
public final class RegistryHosts {
    private final Set<String> insecure;

    /** @param insecure hosts (as {@code host} or {@code host:port}) allowed plain HTTP though not loopback */
    public RegistryHosts(Set<String> insecure) {
        this.insecure = Set.copyOf(insecure);
    }

    /** Plain HTTP only for loopback. */
    public static RegistryHosts secure() {
        return new RegistryHosts(Set.of());
    }

    /** Whether {@code host} ({@code host[:port]}, {@code [v6][:port]}) is reached over plain HTTP. */
    public boolean plainHttp(String host) {
        return isLoopback(host) || insecure.contains(host) || insecure.contains(hostname(host));
    }

    public String scheme(String host) {
        return plainHttp(host) ? "http" : "https";
    }

    /** The base URI of a registry's API, e.g. {@code http://127.0.0.1:5000/v2/}. */
    public URI api(String host) {
        return URI.create(scheme(host) + "://" + host + "/v2/");
    }

    /** 127.0.0.0/8, ::1 or localhost, decided from the name alone (no DNS lookup). */
    static boolean isLoopback(String host) {
        String name = hostname(host);
        if (name.equalsIgnoreCase("localhost")) return true;
        if (!name.contains(":") && !name.matches("[0-9.]+")) return false;
        try {
            return InetAddress.ofLiteral(name).isLoopbackAddress();
        } catch (IllegalArgumentException notALiteral) {
            return false;
        }
    }

    /** The host without its port and IPv6 brackets. */
    static String hostname(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(1, end);
        }
        int colon = host.indexOf(':');
        if (colon >= 0 && colon == host.lastIndexOf(':')) return host.substring(0, colon).toLowerCase(Locale.ROOT);
        return host.toLowerCase(Locale.ROOT);
    }
}
