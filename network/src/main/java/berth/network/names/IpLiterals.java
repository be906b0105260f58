package berth.network.names;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.regex.Pattern;

/** IP address literals checked as Go's {@code net.ParseIP} checks them (no DNS look-up, no zone, no brackets). */
final class IpLiterals {
    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");

    private IpLiterals() {}

    static boolean isIp(String s) {
        if (s == null || s.isEmpty()) return false;
        if (s.indexOf(':') < 0) return IPV4.matcher(s).matches();
        if (s.indexOf('[') >= 0 || s.indexOf('%') >= 0) return false;
        try {
            Inet6Address.ofLiteral(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** An IPv6 literal (by its form: it has a colon). */
    static boolean isIpv6(String s) {
        return s.indexOf(':') >= 0;
    }

    /** 127.0.0.0/8 or ::1; {@code s} must be {@link #isIp}. */
    static boolean isLoopback(String s) {
        return InetAddress.ofLiteral(s).isLoopbackAddress();
    }
}
