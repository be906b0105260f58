package berth.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Locale;

/** The platform an image runs on, as in an index's descriptors and an image config. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Platform(String architecture, String os, String variant,
                       @JsonProperty("os.version") String osVersion) {

    public static final Platform LINUX_AMD64 = new Platform("amd64", "linux", null, null);

    /** Parses {@code os/arch[/variant]} as {@code --platform} takes it. */
    public static Platform parse(String s) {
        String[] parts = s.toLowerCase(Locale.ROOT).split("/");
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new IllegalArgumentException("invalid platform \"" + s + "\": want os/arch[/variant]");
        }
        String arch = switch (parts[1]) {
            case "x86_64", "x86-64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> parts[1];
        };
        return new Platform(arch, parts[0], parts.length == 3 ? parts[2] : null, null);
    }

    /** True if an image for {@code other} runs here: same os and architecture, and variant if this one names one. */
    public boolean matches(Platform other) {
        if (other == null) return false;
        if (!os.equals(other.os) || !architecture.equals(other.architecture)) return false;
        return variant == null || variant.equals(other.variant) || (other.variant == null && variant.equals("v8"));
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant != null ? "/" + variant : "");
    }
}
