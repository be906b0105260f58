package berth.runtime.spec;

import berth.runtime.seccomp.SeccompSpec;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An OCI runtime configuration (config.json), Linux parts only. */
public record Spec(String ociVersion, Process process, Root root, String hostname, String domainname,
                   List<Mount> mounts, Hooks hooks, Map<String, String> annotations, Linux linux) {

    public record Process(boolean terminal, ConsoleSize consoleSize, User user, List<String> args, List<String> env,
                          String cwd, Capabilities capabilities, List<Rlimit> rlimits, boolean noNewPrivileges,
                          Integer oomScoreAdj) {
        /** The value of {@code name} in env, if set. */
        public Optional<String> getenv(String name) {
            String prefix = name + "=";
            for (int i = env.size() - 1; i >= 0; i--) {
                if (env.get(i).startsWith(prefix)) return Optional.of(env.get(i).substring(prefix.length()));
            }
            return Optional.empty();
        }
    }

    public record ConsoleSize(int height, int width) {}

    public record User(long uid, long gid, Integer umask, List<Long> additionalGids) {}

    /** Capability names per set, null where the configuration leaves the set alone. */
    public record Capabilities(List<String> bounding, List<String> effective, List<String> inheritable,
                               List<String> permitted, List<String> ambient) {}

    public record Rlimit(String type, long soft, long hard) {}

    public record Root(String path, boolean readonly) {}

    public record Mount(String destination, String type, String source, List<String> options) {}

    public record Hook(String path, List<String> args, List<String> env, Integer timeout) {}

    public record Hooks(List<Hook> prestart, List<Hook> createRuntime, List<Hook> createContainer,
                        List<Hook> startContainer, List<Hook> poststart, List<Hook> poststop) {
        public static final Hooks NONE = new Hooks(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
    }

    public record Namespace(String type, String path) {}

    public record IdMapping(long containerId, long hostId, long size) {}

    public record Device(String type, String path, long major, long minor, Integer fileMode, Long uid, Long gid) {}

    public record TimeOffset(long secs, long nanosecs) {}

    public record Linux(List<Namespace> namespaces, List<IdMapping> uidMappings, List<IdMapping> gidMappings,
                        List<Device> devices, String cgroupsPath, Map<String, Object> resources,
                        String rootfsPropagation, SeccompSpec seccomp, List<String> maskedPaths,
                        List<String> readonlyPaths, Map<String, String> sysctl, Map<String, TimeOffset> timeOffsets) {
        public static final Linux EMPTY = new Linux(List.of(), List.of(), List.of(), List.of(), null, Map.of(), null,
                null, List.of(), List.of(), Map.of(), Map.of());

        public Optional<Namespace> namespace(String type) {
            return namespaces.stream().filter(n -> n.type().equals(type)).findFirst();
        }

        /** True when the configuration asks for a new namespace of this type (no path to join). */
        public boolean createsNamespace(String type) {
            return namespace(type).map(n -> n.path() == null).orElse(false);
        }
    }
}
