package berth.image;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A content digest as the OCI image spec writes it: {@code sha256:<64 lowercase hex>}. Only sha256 is
 * accepted; anything else is refused with one clear message rather than carried along unverifiable.
 */
public record Digest(String algorithm, String hex) implements Comparable<Digest> {

    public Digest {
        if (!"sha256".equals(algorithm)) {
            throw new IllegalArgumentException("unsupported digest algorithm \"" + algorithm + "\" (only sha256)");
        }
        if (hex.length() != 64 || !hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new IllegalArgumentException("invalid sha256 digest \"" + hex + "\": want 64 lowercase hex digits");
        }
    }

    /** Parses {@code sha256:<hex>}. */
    public static Digest parse(String s) {
        int colon = s.indexOf(':');
        if (colon < 0) throw new IllegalArgumentException("invalid digest \"" + s + "\": want sha256:<hex>");
        return new Digest(s.substring(0, colon), s.substring(colon + 1));
    }

    public static Digest of(byte[] content) {
        MessageDigest md = sha256();
        md.update(content);
        return of(md);
    }

    /** The digest of what {@code md} (a sha256 MessageDigest) has consumed. */
    public static Digest of(MessageDigest md) {
        return new Digest("sha256", HexFormat.of().formatHex(md.digest()));
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** The first 12 hex digits, as Docker shows IDs. */
    public String shortId() {
        return hex.substring(0, 12);
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }

    @Override
    public int compareTo(Digest o) {
        return toString().compareTo(o.toString());
    }
}
