package berth.image;

import java.util.Locale;

/**
 * An image reference normalised the way Docker normalises it: {@code busybox} is
 * {@code docker.io/library/busybox:latest}; {@code 127.0.0.1:5000/x/y@sha256:...} names a local registry
 * and a digest. A reference carries a tag, a digest, or both.
 *
 * @param domain the registry host (and port), {@code docker.io} for Docker Hub
 * @param path   the repository path inside the registry, e.g. {@code library/busybox}
 * @param tag    the tag, or null
 * @param digest the digest, or null
 */
public record Reference(String domain, String path, String tag, Digest digest) {
    public static final String DOCKER_HUB = "docker.io";
    private static final int MAX_NAME = 255;

    public Reference {
        if (tag == null && digest == null) tag = "latest";
    }

    /** Parses a reference as the docker CLI does; a reference without tag or digest gets {@code latest}. */
    public static Reference parse(String s) {
        if (s == null || s.isEmpty()) throw invalid(s, "empty reference");
        String rest = s;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            try {
                digest = Digest.parse(rest.substring(at + 1));
            } catch (IllegalArgumentException e) {
                throw invalid(s, e.getMessage());
            }
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!validTag(tag)) throw invalid(s, "invalid tag \"" + tag + "\"");
        }
        String domain;
        String path;
        int slash = rest.indexOf('/');
        String first = slash < 0 ? "" : rest.substring(0, slash);
        if (slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost")
                || !first.equals(first.toLowerCase(Locale.ROOT)))) {
            domain = first;
            path = rest.substring(slash + 1);
        } else {
            domain = DOCKER_HUB;
            path = rest;
        }
        if (domain.equals("index.docker.io")) domain = DOCKER_HUB;
        if (domain.equals(DOCKER_HUB) && !path.contains("/")) path = "library/" + path;
        if (!validPath(path)) {
            throw invalid(s, path.equals(path.toLowerCase(Locale.ROOT))
                    ? "invalid repository name" : "repository name must be lowercase");
        }
        if (domain.length() + 1 + path.length() > MAX_NAME) throw invalid(s, "repository name too long");
        return new Reference(domain, path, tag, digest);
    }

    private static IllegalArgumentException invalid(String s, String why) {
        return new IllegalArgumentException("invalid reference \"" + s + "\": " + why);
    }

    private static boolean validTag(String t) {
        if (t.isEmpty() || t.length() > 128) return false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            boolean word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            if (!(word || (i > 0 && (c == '.' || c == '-')))) return false;
        }
        return true;
    }

    /** Path components: [a-z0-9]+ separated by one '.', one or two '_', or any number of '-'. */
    private static boolean validPath(String p) {
        if (p.isEmpty()) return false;
        for (String comp : p.split("/", -1)) {
            if (comp.isEmpty()) return false;
            if (!isAlnum(comp.charAt(0)) || !isAlnum(comp.charAt(comp.length() - 1))) return false;
            for (int i = 0; i < comp.length(); i++) {
                char c = comp.charAt(i);
                if (isAlnum(c) || c == '-') continue;
                if (c == '.' && isAlnum(comp.charAt(i + 1))) continue;
                if (c == '_') {
                    if (isAlnum(comp.charAt(i + 1))) continue;
                    if (comp.charAt(i + 1) == '_' && isAlnum(comp.charAt(i + 2))) { i++; continue; }
                }
                return false;
            }
        }
        return true;
    }

    private static boolean isAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    /** {@code domain/path}, e.g. {@code docker.io/library/busybox}. */
    public String name() {
        return domain + "/" + path;
    }

    /** The full normalised form, e.g. {@code docker.io/library/busybox:latest}. */
    @Override
    public String toString() {
        return name() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    /** The name as Docker prints it: {@code busybox}, {@code user/app}, {@code 127.0.0.1:5000/app}. */
    public String familiarName() {
        if (!domain.equals(DOCKER_HUB)) return name();
        return path.startsWith("library/") && path.indexOf('/', 8) < 0 ? path.substring(8) : path;
    }

    /** {@code familiarName:tag} or {@code familiarName@digest}. */
    public String familiar() {
        return familiarName() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    public Reference withTag(String newTag) {
        return new Reference(domain, path, newTag, null);
    }

    public Reference withDigest(Digest d) {
        return new Reference(domain, path, null, d);
    }

    /** The host the Registry API is served from: Docker Hub's API lives at registry-1.docker.io. */
    public String apiHost() {
        return domain.equals(DOCKER_HUB) ? "registry-1.docker.io" : domain;
    }
}
