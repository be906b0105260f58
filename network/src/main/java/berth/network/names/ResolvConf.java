package berth.network.names;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A container's {@code /etc/resolv.conf}. On a user-defined network it names berth's embedded DNS server
 * ({@link #forEmbeddedDns}, {@code berth.network.dns}). Otherwise it is made from the host's as Docker makes it for
 * a network without its embedded DNS server (libnetwork's {@code internal/resolvconf}, {@code TransformForLegacyNw}):
 * <ul>
 *   <li>the host's nameservers, search domains and options, each replaced by the container's override
 *       ({@link DnsConfig}) when it has one; comments dropped, unknown directives kept;</li>
 *   <li>unless the nameservers were overridden: loopback nameservers (127.0.0.0/8, ::1) removed, since they listen in
 *       the host's namespace, not the container's, and IPv6 ones removed when the container has no IPv6;</li>
 *   <li>if no nameserver is left, Google's public DNS, as Docker does: {@link #DEFAULT_NAMESERVERS}
 *       (and {@link #DEFAULT_IPV6_NAMESERVERS} with IPv6);</li>
 *   <li>Docker's trailing comments, which say where the file came from.</li>
 * </ul>
 * When the host's {@code /etc/resolv.conf} lists only systemd-resolved's stub (127.0.0.53), the file systemd-resolved
 * keeps with the real upstream servers ({@code /run/systemd/resolve/resolv.conf}) is read instead, as Docker does.
 *
 * <p>A container in the host's network namespace gets the host's file as it is, or, with overrides, re-rendered with
 * them and nothing removed ({@link #forHostNetwork}).
 */
public final class ResolvConf {
    public static final Path HOST_FILE = Path.of("/etc/resolv.conf");
    public static final Path SYSTEMD_RESOLVED_FILE = Path.of("/run/systemd/resolve/resolv.conf");
    /** Docker's fallback nameservers (Google Public DNS) when the host has none a container can use. */
    public static final List<String> DEFAULT_NAMESERVERS = List.of("8.8.8.8", "8.8.4.4");
    public static final List<String> DEFAULT_IPV6_NAMESERVERS = List.of("2001:4860:4860::8888", "2001:4860:4860::8844");

    private static final String SYSTEMD_RESOLVED_STUB = "127.0.0.53";

    private final Path hostFile;
    private final Path systemdResolvedFile;

    /**
     * @param hostFile            the host's resolv.conf ({@link #HOST_FILE})
     * @param systemdResolvedFile systemd-resolved's upstream file ({@link #SYSTEMD_RESOLVED_FILE}), or null to never
     *                            use one
     */
    public ResolvConf(Path hostFile, Path systemdResolvedFile) {
        this.hostFile = hostFile;
        this.systemdResolvedFile = systemdResolvedFile;
    }

    /** The host's files at their usual paths. */
    public static ResolvConf ofHost() {
        return new ResolvConf(HOST_FILE, SYSTEMD_RESOLVED_FILE);
    }

    /**
     * The file a container in its own network namespace starts from: the host file, or systemd-resolved's when the host
     * file's only nameserver is 127.0.0.53 and systemd-resolved's exists.
     */
    public Path source() throws IOException {
        String content = readOrEmpty(hostFile);
        if (systemdResolvedFile != null && Files.exists(systemdResolvedFile)) {
            List<String> ns = Parsed.parse(content).nameservers;
            if (ns.size() == 1 && ns.getFirst().equals(SYSTEMD_RESOLVED_STUB)) return systemdResolvedFile;
        }
        return hostFile;
    }

    /** The resolv.conf of a container in a network namespace of its own. */
    public String forContainer(DnsConfig dns, boolean ipv6) throws IOException {
        Path source = source();
        return render(readOrEmpty(source), source.toString(), dns, true, ipv6);
    }

    /**
     * The resolv.conf of a container on a network with berth's embedded DNS server: {@code nameserver 127.0.0.11}
     * (the server answers container names and forwards the rest to the host's nameservers), the host's search
     * domains unless overridden, and {@code ndots:0} unless options are given, as Docker writes it.
     */
    public String forEmbeddedDns(DnsConfig dns) throws IOException {
        Path source = source();
        DnsConfig embedded = new DnsConfig(List.of(EMBEDDED_NAMESERVER), dns.search(),
                dns.options().isEmpty() ? List.of("ndots:0") : dns.options());
        return render(readOrEmpty(source), source.toString(), embedded, false, false);
    }

    /** The address berth's embedded DNS server listens on in every container namespace it serves. */
    public static final String EMBEDDED_NAMESERVER = "127.0.0.11";

    /** The resolv.conf of a container in the host's network namespace: the host's file, overrides applied if any. */
    public String forHostNetwork(DnsConfig dns) throws IOException {
        String content = readOrEmpty(hostFile);
        if (dns.isEmpty()) return content;
        return render(content, hostFile.toString(), dns, false, true);
    }

    /**
     * Renders a resolv.conf from the host's content, as Docker's {@code ResolvConf.Generate(true)} does.
     *
     * @param hostContent the host's file (empty if it has none)
     * @param sourcePath  its path, named in the trailing comment
     * @param legacy      apply Docker's transform for a network without an embedded DNS server (drop loopback and,
     *                    without {@code ipv6}, IPv6 nameservers; fall back to the defaults)
     * @param ipv6        whether the container has IPv6
     */
    public static String render(String hostContent, String sourcePath, DnsConfig dns, boolean legacy, boolean ipv6) {
        Parsed rc = Parsed.parse(hostContent);
        List<String> overrides = new ArrayList<>();
        if (!dns.servers().isEmpty()) {
            rc.nameservers = new ArrayList<>(dns.servers());
            overrides.add("nameservers");
        }
        if (!dns.search().isEmpty()) {
            rc.search = dns.search().stream().filter(s -> !s.equals(".")).toList();
            overrides.add("search");
        }
        if (!dns.options().isEmpty()) {
            rc.options = new ArrayList<>(dns.options());
            rc.ndotsFrom = hasOption(rc.options, "ndots") ? "override" : null;
            overrides.add("options");
        }
        boolean usedDefaults = false;
        if (legacy && dns.servers().isEmpty()) {
            rc.nameservers.removeIf(ns -> (!ipv6 && IpLiterals.isIpv6(ns)) || IpLiterals.isLoopback(ns.replaceFirst("%.*", "")));
            if (rc.nameservers.isEmpty()) {
                rc.nameservers.addAll(DEFAULT_NAMESERVERS);
                if (ipv6) rc.nameservers.addAll(DEFAULT_IPV6_NAMESERVERS);
                usedDefaults = true;
            }
        }

        StringBuilder out = new StringBuilder();
        for (String ns : rc.nameservers) out.append("nameserver ").append(ns).append('\n');
        if (!rc.search.isEmpty()) out.append("search ").append(String.join(" ", rc.search)).append('\n');
        if (!rc.options.isEmpty()) out.append("options ").append(String.join(" ", rc.options)).append('\n');
        for (String line : rc.other) out.append(line).append('\n');
        out.append("\n# Based on host file: '").append(sourcePath).append('\'').append(legacy ? " (legacy)" : "").append('\n');
        if (usedDefaults) out.append("# Used default nameservers.\n");
        if (!rc.invalid.isEmpty()) out.append("# Invalid nameservers: ").append(goList(rc.invalid)).append('\n');
        out.append("# Overrides: ").append(goList(overrides)).append('\n');
        if (rc.ndotsFrom != null) out.append("# Option ndots from: ").append(rc.ndotsFrom).append('\n');
        return out.toString();
    }

    private static boolean hasOption(List<String> options, String name) {
        return options.stream().anyMatch(o -> o.equals(name) || o.startsWith(name + ":"));
    }

    /** Go's {@code %v} of a string slice, which Docker's comments use: {@code [a b]}. */
    private static String goList(List<String> l) {
        return "[" + String.join(" ", l) + "]";
    }

    private static String readOrEmpty(Path file) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new IOException("read " + file + ": " + HostsFile.reason(e), e);
        }
    }

    /** An IP literal, IPv6 possibly with a zone ({@code fe80::1%eth0}), as Go's {@code netip.ParseAddr} takes it. */
    private static boolean isAddress(String s) {
        int zone = s.indexOf('%');
        return IpLiterals.isIp(zone > 0 && IpLiterals.isIpv6(s) ? s.substring(0, zone) : s);
    }

    /** The directives of a resolv.conf, read as Docker's {@code processLine} reads them. */
    private static final class Parsed {
        List<String> nameservers = new ArrayList<>();
        List<String> search = new ArrayList<>();
        List<String> options = new ArrayList<>();
        final List<String> other = new ArrayList<>();
        final List<String> invalid = new ArrayList<>();
        String ndotsFrom;

        static Parsed parse(String content) {
            Parsed rc = new Parsed();
            for (String line : content.split("\n", -1)) {
                String[] fields = line.strip().split("\\s+");
                if (fields[0].isEmpty() || fields[0].startsWith("#") || fields[0].startsWith(";")) continue;
                List<String> args = List.of(fields).subList(1, fields.length);
                switch (fields[0]) {
                    case "nameserver" -> {
                        if (args.isEmpty()) continue;
                        if (isAddress(args.getFirst())) rc.nameservers.add(args.getFirst());
                        else rc.invalid.add(args.getFirst());
                    }
                    case "search", "domain" -> { // "domain" is the obsolete name for "search"; the last one wins
                        if (!args.isEmpty()) rc.search = new ArrayList<>(args);
                    }
                    case "options" -> rc.options.addAll(args);
                    default -> rc.other.add(line);
                }
            }
            if (hasOption(rc.options, "ndots")) rc.ndotsFrom = "host";
            return rc;
        }
    }
}
