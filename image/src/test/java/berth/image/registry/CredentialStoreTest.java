package berth.image.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.image.ImageException;
import berth.image.ImageJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialStoreTest {
    @TempDir
    Path dir;

    private JsonNode config() throws IOException {
        return ImageJson.MAPPER.readTree(Files.readAllBytes(dir.resolve("config.json")));
    }

    @Test
    void storeGetEraseRoundTripInDockersFormat() throws IOException {
        CredentialStore store = new CredentialStore(dir);
        assertEquals(Optional.empty(), store.get("127.0.0.1:5000"));

        store.store("127.0.0.1:5000", "alice", "pa:ss");
        assertEquals(Optional.of(new Credentials("alice", "pa:ss")), store.get("127.0.0.1:5000"));
        String auth = config().path("auths").path("127.0.0.1:5000").path("auth").asText();
        assertEquals("alice:pa:ss", new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("config.json"))));

        store.erase("127.0.0.1:5000");
        assertEquals(Optional.empty(), store.get("127.0.0.1:5000"));
        store.erase("127.0.0.1:5000"); // nothing to erase is fine
    }

    @Test
    void dockerHubIsStoredUnderItsIndexUrlWhicheverNameIsUsed() throws IOException {
        CredentialStore store = new CredentialStore(dir);
        store.store("docker.io", "bob", "pw");
        assertTrue(config().path("auths").has(CredentialStore.DOCKER_HUB_KEY));
        for (String h : List.of("docker.io", "index.docker.io", "registry-1.docker.io", CredentialStore.DOCKER_HUB_KEY)) {
            assertEquals(Optional.of(new Credentials("bob", "pw")), store.get(h), h);
        }
    }

    @Test
    void writingKeepsEveryOtherKeyAndReplacesTheFileWithMode0600() throws IOException {
        Files.writeString(dir.resolve("config.json"), """
                {
                  "auths": {"other.example:5000": {"auth": "%s", "email": "x@example.com"}},
                  "HttpHeaders": {"User-Agent": "Docker-Client/24"},
                  "psFormat": "table {{.ID}}",
                  "plugins": {"x": {"y": [1, 2]}}
                }
                """.formatted(Base64.getEncoder().encodeToString("o:p".getBytes(StandardCharsets.UTF_8))));
        Files.setPosixFilePermissions(dir.resolve("config.json"), PosixFilePermissions.fromString("rw-r--r--"));
        CredentialStore store = new CredentialStore(dir);

        store.store("127.0.0.1:5000", "alice", "pw");
        JsonNode c = config();
        assertEquals("Docker-Client/24", c.path("HttpHeaders").path("User-Agent").asText());
        assertEquals("table {{.ID}}", c.path("psFormat").asText());
        assertEquals(2, c.path("plugins").path("x").path("y").get(1).asInt());
        assertEquals("x@example.com", c.path("auths").path("other.example:5000").path("email").asText());
        assertEquals(Optional.of(new Credentials("o", "p")), store.get("other.example:5000"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("config.json"))));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("config.json")), files.toList(), "a temporary file was left behind");
        }
    }

    @Test
    void keysWrittenAsUrlsAndUsernamePasswordFieldsAreRead() throws IOException {
        Files.writeString(dir.resolve("config.json"), """
                {"auths": {"https://reg.example:5000/v2/": {"auth": "%s"},
                           "plain.example": {"username": "u", "password": "p"}}}
                """.formatted(Base64.getEncoder().encodeToString("a:b".getBytes(StandardCharsets.UTF_8))));
        CredentialStore store = new CredentialStore(dir);
        assertEquals(Optional.of(new Credentials("a", "b")), store.get("reg.example:5000"));
        assertEquals(Optional.of(new Credentials("u", "p")), store.get("plain.example"));
    }

    @Test
    void aBrokenFileIsOneClearError() throws IOException {
        Files.writeString(dir.resolve("config.json"), "{\"auths\": {\"h\": {\"auth\": \"bm9jb2xvbg==\"}}}");
        ImageException e = assertThrows(ImageException.class, () -> new CredentialStore(dir).get("h"));
        assertEquals("invalid auth for h in " + dir.resolve("config.json") + ": want base64(user:password)", e.getMessage());
        Files.writeString(dir.resolve("config.json"), "[1,");
        assertTrue(assertThrows(ImageException.class, () -> new CredentialStore(dir).get("h")).getMessage()
                .startsWith("invalid docker config " + dir.resolve("config.json")));
    }

    @Test
    void theConfigDirectoryComesFromDockerConfigElseHome() {
        Path home = Path.of("/home/u");
        assertEquals(Path.of("/etc/dc"), CredentialStore.configDir(Map.of("DOCKER_CONFIG", "/etc/dc"), home));
        assertEquals(home.resolve(".docker"), CredentialStore.configDir(Map.of(), home));
        assertEquals(home.resolve(".docker"), CredentialStore.configDir(Map.of("DOCKER_CONFIG", ""), home));
    }

    @Test
    void aCredentialHelperIsRunForHostsItHandles() throws IOException {
        // A helper speaking Docker's protocol, keeping its secrets in a file next to itself.
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path helper = bin.resolve("docker-credential-test");
        Files.writeString(helper, """
                #!/bin/sh
                state="$(dirname "$0")/secrets"
                input="$(cat)"
                case "$1" in
                  store) printf '%s' "$input" > "$state" ;;
                  get) if [ -f "$state" ] && grep -q "\\"ServerURL\\":\\"$input\\"" "$state"; then
                         cat "$state"; else echo "credentials not found in native keychain"; exit 1; fi ;;
                  erase) rm -f "$state" ;;
                esac
                """);
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwx------"));
        Path config = Files.createDirectories(dir.resolve("cfg"));
        Files.writeString(config.resolve("config.json"), "{\"credHelpers\": {\"helped.example\": \"test\"}}");
        CredentialStore store = new CredentialStore(config, new CredentialHelper(List.of(bin)));

        assertEquals(Optional.empty(), store.get("helped.example"));
        store.store("helped.example", "carol", "tok");
        assertTrue(Files.readString(bin.resolve("secrets")).contains("\"Secret\":\"tok\""));
        assertFalse(Files.readString(config.resolve("config.json")).contains("\"auth\""), "the secret went into config.json");
        assertEquals(Optional.of(new Credentials("carol", "tok")), store.get("helped.example"));
        store.erase("helped.example");
        assertEquals(Optional.empty(), store.get("helped.example"));

        Files.writeString(config.resolve("config.json"), "{\"credsStore\": \"absent\"}");
        assertEquals("credential helper docker-credential-absent not found in PATH",
                assertThrows(ImageException.class, () -> store.get("x.example")).getMessage());
    }
}
