package berth.engine.spec;

import berth.runtime.RuntimeError;
import berth.runtime.seccomp.DockerSeccompProfile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/** {@code linux.seccomp} as dockerd's {@code WithSeccomp} chooses it. */
final class SpecSeccomp {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SpecSeccomp() {}

    /**
     * Docker's default profile, the profile given in SecurityOpt, or null: none for privileged containers and
     * {@code seccomp=unconfined}, or when the profile turns seccomp off.
     *
     * @param bounding the container's bounding capabilities, which decide some of the profile's rules
     * @throws IllegalArgumentException "Decoding seccomp profile failed: ..." for a profile that is not valid
     */
    static JsonNode of(SecurityOptions security, boolean privileged, List<String> bounding) {
        if (privileged || SecurityOptions.UNCONFINED.equals(security.seccomp())) return null;
        Map<String, Object> oci;
        if (security.seccomp() == null) {
            oci = DockerSeccompProfile.defaultOci(new HashSet<>(bounding));
        } else {
            try {
                Map<String, Object> profile = berth.runtime.Json.parse(
                        security.seccomp().getBytes(StandardCharsets.UTF_8), "seccomp profile");
                oci = DockerSeccompProfile.toOci(profile, new HashSet<>(bounding), System.getProperty("os.arch"));
            } catch (RuntimeError | IllegalArgumentException e) {
                throw new IllegalArgumentException("Decoding seccomp profile failed: " + e.getMessage());
            }
        }
        return oci == null ? null : JSON.valueToTree(oci);
    }
}
