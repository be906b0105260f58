package berth.image.registry;

import berth.image.ImageException;
import berth.image.ImageJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Registry credentials in Docker's {@code config.json} ({@code $DOCKER_CONFIG/config.json}, else
 * {@code ~/.docker/config.json}): {@code {"auths": {"127.0.0.1:5000": {"auth": base64("user:pass")}}}}, Docker
 * Hub under {@code https://index.docker.io/v1/}. Entries handled by a credential helper ({@code credHelpers},
 * {@code credsStore}) go through {@code docker-credential-<name>}. Writing keeps every other key of the
 * file and replaces it atomically, readable by its owner only.
 */
public final class CredentialStore {
    /** The key Docker uses for Docker Hub in config.json and with credential helpers. */
    public static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";

    private final Path file;
    private final CredentialHelper helper;

    /** The store in {@code configDir/config.json}, with helpers looked up in $PATH. */
    public CredentialStore(Path configDir) {
        this(configDir, new CredentialHelper(pathDirs(System.getenv("PATH"))));
    }

    CredentialStore(Path configDir, CredentialHelper helper) {
        this.file = configDir.resolve("config.json");
        this.helper = helper;
    }

    /** The store Docker uses for this process: {@code $DOCKER_CONFIG}, else {@code ~/.docker}. */
    public static CredentialStore fromEnvironment() {
        return new CredentialStore(configDir(System.getenv(), Path.of(System.getProperty("user.home"))));
    }

    static Path configDir(Map<String, String> env, Path home) {
        String dir = env.get("DOCKER_CONFIG");
        return dir != null && !dir.isEmpty() ? Path.of(dir) : home.resolve(".docker");
    }

    public Path file() {
        return file;
    }

    /** The credentials for a registry host ({@code 127.0.0.1:5000}, {@code docker.io}), if any are stored. */
    public Optional<Credentials> get(String host) {
        String key = key(host);
        ObjectNode config = read();
        String helperName = helperFor(config, key);
        JsonNode entry = entry(config, key);
        if (entry != null) {
            Optional<Credentials> inline = decode(entry, key);
            if (inline.isPresent()) return inline;
        }
        return helperName == null ? Optional.empty() : helper.get(helperName, key);
    }

    /** Stores credentials for a host, in its credential helper if one is configured, else in config.json. */
    public void store(String host, String username, String password) {
        Credentials c = new Credentials(username, password);
        String key = key(host);
        ObjectNode config = read();
        String helperName = helperFor(config, key);
        ObjectNode auths = config.withObjectProperty("auths");
        if (helperName != null) {
            helper.store(helperName, key, c);
            if (auths.has(key) && auths.get(key).has("auth")) auths.remove(key);
        } else {
            auths.set(key, ImageJson.MAPPER.createObjectNode().put("auth", c.encoded()));
        }
        write(config);
    }

    /** Forgets a host's credentials (a logout); nothing happens if none were stored. */
    public void erase(String host) {
        String key = key(host);
        ObjectNode config = read();
        String helperName = helperFor(config, key);
        if (helperName != null) helper.erase(helperName, key);
        JsonNode auths = config.get("auths");
        if (auths instanceof ObjectNode a && a.remove(key) != null) write(config);
    }

    /** The config.json key of a host: Docker Hub's URL for its names, else the host itself. */
    static String key(String host) {
        String h = hostOf(host);
        return switch (h) {
            case "docker.io", "index.docker.io", "registry-1.docker.io" -> DOCKER_HUB_KEY;
            default -> h;
        };
    }

    /** {@code https://host:port/v1/} -> {@code host:port}, as Docker matches keys written by old clients. */
    private static String hostOf(String keyOrHost) {
        String h = keyOrHost.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
        int slash = h.indexOf('/');
        return slash < 0 ? h : h.substring(0, slash);
    }

    private static JsonNode entry(ObjectNode config, String key) {
        JsonNode auths = config.path("auths");
        if (auths.has(key)) return auths.get(key);
        for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (key(e.getKey()).equals(key)) return e.getValue();
        }
        return null;
    }

    private static String helperFor(ObjectNode config, String key) {
        JsonNode specific = config.path("credHelpers").path(key);
        if (specific.isTextual() && !specific.asText().isEmpty()) return specific.asText();
        JsonNode store = config.path("credsStore");
        return store.isTextual() && !store.asText().isEmpty() ? store.asText() : null;
    }

    private Optional<Credentials> decode(JsonNode entry, String key) {
        String auth = entry.path("auth").asText("");
        if (!auth.isEmpty()) {
            String plain;
            try {
                plain = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new ImageException("invalid auth for " + key + " in " + file + ": not base64");
            }
            int colon = plain.indexOf(':');
            if (colon < 0) throw new ImageException("invalid auth for " + key + " in " + file + ": want base64(user:password)");
            return Optional.of(new Credentials(plain.substring(0, colon), plain.substring(colon + 1)));
        }
        String user = entry.path("username").asText("");
        String pass = entry.path("password").asText("");
        return user.isEmpty() || pass.isEmpty() ? Optional.empty() : Optional.of(new Credentials(user, pass));
    }

    private ObjectNode read() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return ImageJson.MAPPER.createObjectNode();
        } catch (IOException e) {
            throw new UncheckedIOException("read " + file, e);
        }
        if (new String(bytes, StandardCharsets.UTF_8).isBlank()) return ImageJson.MAPPER.createObjectNode();
        if (!(ImageJson.tree(bytes, "docker config " + file) instanceof ObjectNode o)) {
            throw new ImageException("invalid docker config " + file + ": not a JSON object");
        }
        return o;
    }

    /** Writes a temporary file next to config.json (or its symlink's target) and renames it over. */
    private void write(ObjectNode config) {
        try {
            Path target = Files.isSymbolicLink(file) ? file.toRealPath() : file;
            Path dir = target.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Path tmp = Files.createTempFile(dir, ".config.json", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                byte[] json = (ImageJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(config) + "\n")
                        .getBytes(StandardCharsets.UTF_8);
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ByteBuffer buf = ByteBuffer.wrap(json);
                    while (buf.hasRemaining()) ch.write(buf);
                    ch.force(true);
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("write " + file, e);
        }
    }

    private static List<Path> pathDirs(String path) {
        if (path == null) return List.of();
        return Arrays.stream(path.split(":")).filter(s -> !s.isEmpty()).map(Path::of).toList();
    }
}
