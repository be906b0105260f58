package berth.runtime.seccomp;

import static berth.runtime.seccomp.SpecReader.fail;
import static berth.runtime.seccomp.SpecReader.object;
import static berth.runtime.seccomp.SpecReader.optionalList;
import static berth.runtime.seccomp.SpecReader.optionalString;
import static berth.runtime.seccomp.SpecReader.stringList;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts Docker's seccomp profile format (with {@code archMap} and per-rule {@code includes}/{@code excludes})
 * into the OCI {@code linux.seccomp} object, as dockerd's {@code setupSeccomp} in moby
 * {@code profiles/seccomp/seccomp_linux.go} does.
 */
public final class DockerSeccompProfile {
    private static final String DEFAULT_PROFILE = "docker-default.json";
    private static final String ROOT = "profile";
    private static final Pattern KERNEL_VERSION = Pattern.compile("^(\\d+)\\.(\\d+)");
    private static final Map<String, String> NATIVE_TO_SECCOMP = Map.ofEntries(
            Map.entry("x86", "SCMP_ARCH_X86"), Map.entry("amd64", "SCMP_ARCH_X86_64"),
            Map.entry("arm", "SCMP_ARCH_ARM"), Map.entry("arm64", "SCMP_ARCH_AARCH64"),
            Map.entry("mips", "SCMP_ARCH_MIPS"), Map.entry("mips64", "SCMP_ARCH_MIPS64"),
            Map.entry("mips64n32", "SCMP_ARCH_MIPS64N32"), Map.entry("mipsel", "SCMP_ARCH_MIPSEL"),
            Map.entry("mipsel64", "SCMP_ARCH_MIPSEL64"), Map.entry("mipsel64n32", "SCMP_ARCH_MIPSEL64N32"),
            Map.entry("ppc", "SCMP_ARCH_PPC"), Map.entry("ppc64", "SCMP_ARCH_PPC64"),
            Map.entry("ppc64le", "SCMP_ARCH_PPC64LE"), Map.entry("s390", "SCMP_ARCH_S390"),
            Map.entry("s390x", "SCMP_ARCH_S390X"), Map.entry("riscv64", "SCMP_ARCH_RISCV64"));
    /** GOARCH and uname spellings mapped to the libseccomp-style names Docker profiles use. */
    private static final Map<String, String> ARCH_ALIASES = Map.of(
            "386", "x86", "i386", "x86", "i686", "x86", "x86_64", "amd64", "aarch64", "arm64",
            "mips64le", "mipsel64", "mipsle", "mipsel", "mips64p32", "mips64n32", "mips64p32le", "mipsel64n32");

    private DockerSeccompProfile() {}

    /** Docker's bundled default profile for x86_64 ({@code amd64}) and the given capability set. */
    public static Map<String, Object> defaultOci(Set<String> capabilities) {
        return toOci(loadDefaultProfile(), capabilities, "amd64");
    }

    /**
     * Converts a parsed Docker profile for a container with the given capabilities (bounding set; names with or
     * without the {@code CAP_} prefix) on the given architecture (Docker/libseccomp name such as {@code amd64},
     * {@code x86}, {@code arm64}; GOARCH and uname spellings are accepted). {@code minKernel} is compared with
     * the running kernel ({@code os.version}).
     *
     * @return the OCI {@code linux.seccomp} map, or null when the profile disables seccomp (no defaultAction
     *         and no syscalls), as dockerd does
     * @throws IllegalArgumentException with a one-line message for a malformed profile
     */
    public static Map<String, Object> toOci(Map<String, Object> dockerProfileJson, Set<String> capabilities,
                                            String arch) {
        return toOci(dockerProfileJson, capabilities, arch, System.getProperty("os.version"));
    }

    static Map<String, Object> toOci(Map<String, Object> dockerProfileJson, Set<String> capabilities, String arch,
                                     String kernelRelease) {
        Map<String, Object> profile = object(dockerProfileJson, ROOT);
        String defaultAction = optionalString(profile.get("defaultAction"), ROOT + ".defaultAction");
        List<Object> calls = optionalList(profile.get("syscalls"), ROOT + ".syscalls");
        if ((defaultAction == null || defaultAction.isEmpty()) && calls.isEmpty()) {
            return null;
        }
        List<String> architectures = stringList(profile.get("architectures"), ROOT + ".architectures");
        List<Object> archMap = optionalList(profile.get("archMap"), ROOT + ".archMap");
        if (!architectures.isEmpty() && !archMap.isEmpty()) {
            throw fail(ROOT, "both 'architectures' and 'archMap' are specified, use either 'architectures' or 'archMap'");
        }
        String nativeArch = nativeArch(arch);
        Set<String> caps = normalizeCaps(capabilities);
        KernelCheck kernel = new KernelCheck(kernelRelease);

        Map<String, Object> oci = new LinkedHashMap<>();
        oci.put("defaultAction", defaultAction);
        copyIfPresent(profile, oci, "defaultErrnoRet");
        List<String> ociArchitectures = new ArrayList<>(architectures);
        String seccompArch = NATIVE_TO_SECCOMP.get(nativeArch);
        for (int i = 0; i < archMap.size() && seccompArch != null; i++) {
            String path = ROOT + ".archMap[" + i + "]";
            Map<String, Object> entry = object(archMap.get(i), path);
            if (seccompArch.equals(optionalString(entry.get("architecture"), path + ".architecture"))) {
                ociArchitectures.add(seccompArch);
                ociArchitectures.addAll(stringList(entry.get("subArchitectures"), path + ".subArchitectures"));
                break;
            }
        }
        if (!ociArchitectures.isEmpty()) {
            oci.put("architectures", ociArchitectures);
        }
        for (String field : List.of("flags", "listenerPath", "listenerMetadata")) {
            copyIfPresent(profile, oci, field);
        }
        List<Object> syscalls = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            String path = ROOT + ".syscalls[" + i + "]";
            Map<String, Object> call = object(calls.get(i), path);
            List<String> names = names(call, path);
            if (applies(call, nativeArch, caps, kernel, path)) {
                syscalls.add(ociSyscall(call, names, path));
            }
        }
        if (!syscalls.isEmpty()) {
            oci.put("syscalls", syscalls);
        }
        return oci;
    }

    private static List<String> names(Map<String, Object> call, String path) {
        String name = optionalString(call.get("name"), path + ".name");
        List<String> names = stringList(call.get("names"), path + ".names");
        if (name != null && !name.isEmpty()) {
            if (!names.isEmpty()) {
                throw fail(path, "both 'name' and 'names' are specified, use either 'name' or 'names'");
            }
            return List.of(name);
        }
        return names;
    }

    /** moby's include/exclude filter: excludes first, then includes; caps in includes must all be present. */
    private static boolean applies(Map<String, Object> call, String arch, Set<String> caps, KernelCheck kernel,
                                   String path) {
        if (call.get("excludes") != null) {
            String p = path + ".excludes";
            Map<String, Object> excludes = object(call.get("excludes"), p);
            if (stringList(excludes.get("arches"), p + ".arches").contains(arch)) {
                return false;
            }
            for (String cap : stringList(excludes.get("caps"), p + ".caps")) {
                if (caps.contains(normalizeCap(cap))) {
                    return false;
                }
            }
            String minKernel = optionalString(excludes.get("minKernel"), p + ".minKernel");
            if (minKernel != null && !minKernel.isEmpty() && kernel.atLeast(minKernel, p + ".minKernel")) {
                return false;
            }
        }
        if (call.get("includes") != null) {
            String p = path + ".includes";
            Map<String, Object> includes = object(call.get("includes"), p);
            List<String> arches = stringList(includes.get("arches"), p + ".arches");
            if (!arches.isEmpty() && !arches.contains(arch)) {
                return false;
            }
            for (String cap : stringList(includes.get("caps"), p + ".caps")) {
                if (!caps.contains(normalizeCap(cap))) {
                    return false;
                }
            }
            String minKernel = optionalString(includes.get("minKernel"), p + ".minKernel");
            if (minKernel != null && !minKernel.isEmpty() && !kernel.atLeast(minKernel, p + ".minKernel")) {
                return false;
            }
        }
        return true;
    }

    /** The OCI LinuxSyscall fields only: comment, includes and excludes are dropped. */
    private static Map<String, Object> ociSyscall(Map<String, Object> call, List<String> names, String path) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("names", List.copyOf(names));
        out.put("action", call.get("action"));
        copyIfPresent(call, out, "errnoRet");
        List<Object> args = optionalList(call.get("args"), path + ".args");
        if (!args.isEmpty()) {
            List<Object> ociArgs = new ArrayList<>();
            for (int j = 0; j < args.size(); j++) {
                Map<String, Object> arg = object(args.get(j), path + ".args[" + j + "]");
                Map<String, Object> ociArg = new LinkedHashMap<>();
                for (String field : List.of("index", "value", "valueTwo", "op")) {
                    copyIfPresent(arg, ociArg, field);
                }
                ociArgs.add(ociArg);
            }
            out.put("args", ociArgs);
        }
        return out;
    }

    private static void copyIfPresent(Map<String, Object> from, Map<String, Object> to, String field) {
        Object value = from.get(field);
        boolean empty = value == null || (value instanceof String s && s.isEmpty())
                || (value instanceof List<?> l && l.isEmpty());
        if (!empty) {
            to.put(field, value);
        }
    }

    private static String nativeArch(String arch) {
        if (arch == null || arch.isBlank()) {
            throw new IllegalArgumentException("arch: must name an architecture such as \"amd64\"");
        }
        String lower = arch.strip().toLowerCase(Locale.ROOT);
        return ARCH_ALIASES.getOrDefault(lower, lower);
    }

    private static Set<String> normalizeCaps(Set<String> capabilities) {
        Set<String> caps = new HashSet<>();
        if (capabilities != null) {
            for (String cap : capabilities) {
                if (cap != null && !cap.isBlank()) {
                    caps.add(normalizeCap(cap));
                }
            }
        }
        return caps;
    }

    private static String normalizeCap(String cap) {
        String upper = cap.strip().toUpperCase(Locale.ROOT);
        return upper.startsWith("CAP_") ? upper : "CAP_" + upper;
    }

    /** Parsed once per conversion, only if a rule has a minKernel. Compares "kernel.major" like moby. */
    private static final class KernelCheck {
        private final String release;
        private int[] running;

        KernelCheck(String release) {
            this.release = release;
        }

        boolean atLeast(String minKernel, String path) {
            int[] min = parse(minKernel);
            if (min == null) {
                throw fail(path, "invalid kernel version \"" + minKernel + "\", expected \"<kernel>.<major>\"");
            }
            if (running == null) {
                running = parse(release == null ? "" : release);
                if (running == null) {
                    throw fail(path, "cannot parse the running kernel version \"" + release + "\"");
                }
            }
            return running[0] > min[0] || (running[0] == min[0] && running[1] >= min[1]);
        }

        private static int[] parse(String version) {
            Matcher m = KERNEL_VERSION.matcher(version.strip());
            if (!m.find()) {
                return null;
            }
            try {
                return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> loadDefaultProfile() {
        try (InputStream in = DockerSeccompProfile.class.getResourceAsStream(DEFAULT_PROFILE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + DEFAULT_PROFILE);
            }
            return berth.runtime.Json.parse(in.readAllBytes(), DEFAULT_PROFILE);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + DEFAULT_PROFILE, e);
        }
    }
}
