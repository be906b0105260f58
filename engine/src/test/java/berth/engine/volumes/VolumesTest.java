package berth.engine.volumes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import berth.sys.LinuxSyscalls;

/** The local driver's bookkeeping on a temporary volumes directory. */
class VolumesTest {
    private static final Function<String, List<String>> UNUSED = name -> List.of();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    private Volumes volumes;

    @BeforeEach
    void open() {
        volumes = new Volumes(tmp.resolve("volumes"), new LinuxSyscalls());
    }

    @Test
    void createdVolumeInspectsLikeDockers() throws Exception {
        Volume v = volumes.create("data", "local", Map.of("tier", "db"), Map.of());
        JsonNode json = JSON.valueToTree(v);
        assertEquals(List.of("Name", "Driver", "Mountpoint", "CreatedAt", "Labels", "Scope", "Options"),
                iterable(json.fieldNames()));
        assertEquals("data", json.get("Name").asText());
        assertEquals("local", json.get("Driver").asText());
        assertEquals(tmp.resolve("volumes/data/_data").toString(), json.get("Mountpoint").asText());
        assertTrue(json.get("CreatedAt").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), json.toString());
        assertEquals("db", json.get("Labels").get("tier").asText());
        assertEquals("local", json.get("Scope").asText());
        assertEquals(0, json.get("Options").size());
        assertEquals(0040755, Files.getAttribute(Path.of(v.mountpoint()), "unix:mode"));
        assertEquals(0100600, Files.getAttribute(tmp.resolve("volumes/data/meta.json"), "unix:mode"));
        assertEquals(v, new Volumes(tmp.resolve("volumes"), new LinuxSyscalls()).get("data"), "kept on disk");
        JsonNode usage = JSON.valueToTree(volumes.withUsage(v, n -> List.of("a", "b"))).get("UsageData");
        assertEquals(0, usage.get("Size").asLong());
        assertEquals(2, usage.get("RefCount").asLong());
    }

    @Test
    void createIsIdempotentAndKeepsTheFirstVolume() throws Exception {
        Volume first = volumes.create("data", null, Map.of("a", "1"), Map.of());
        Files.writeString(Path.of(first.mountpoint()).resolve("keep"), "me");
        assertEquals(first, volumes.create("data", "", Map.of("b", "2"), Map.of("type", "tmpfs", "device", "tmpfs")));
        assertTrue(Files.exists(Path.of(first.mountpoint()).resolve("keep")));
    }

    @Test
    void anonymousVolumesGetAnIdAndTheLabel() {
        Volume a = volumes.create(null, null, Map.of(), Map.of());
        Volume b = volumes.create("", null, null, null);
        assertTrue(a.name().matches("[0-9a-f]{64}"), a.name());
        assertNotEquals(a.name(), b.name());
        assertEquals(Map.of(Volume.ANONYMOUS_LABEL, ""), a.labels());
        assertTrue(a.isAnonymous());
    }

    @Test
    void namesAndOptionsAreCheckedAsDockerDoes() {
        assertEquals("create x: volume name is too short, names should be at least two alphanumeric characters",
                assertThrows(VolumeException.Invalid.class, () -> volumes.create("x", null, Map.of(), Map.of())).getMessage());
        assertEquals("create ../etc: \"../etc\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. "
                + "If you intended to pass a host directory, use absolute path",
                assertThrows(VolumeException.Invalid.class, () -> volumes.create("../etc", null, Map.of(), Map.of())).getMessage());
        assertEquals("create v1: invalid option: \"color\"",
                assertThrows(VolumeException.Invalid.class, () -> volumes.create("v1", null, Map.of(), Map.of("color", "red"))).getMessage());
        assertEquals("create v1: missing required option: \"type\"",
                assertThrows(VolumeException.Invalid.class, () -> volumes.create("v1", null, Map.of(), Map.of("device", "tmpfs"))).getMessage());
        assertEquals("create v1: missing required option: \"device\"",
                assertThrows(VolumeException.Invalid.class, () -> volumes.create("v1", null, Map.of(), Map.of("o", "size=1m", "type", "tmpfs"))).getMessage());
        assertEquals("create v1: error looking up volume plugin nfs-plugin: plugin \"nfs-plugin\" not found",
                assertThrows(VolumeException.NotFound.class, () -> volumes.create("v1", "nfs-plugin", Map.of(), Map.of())).getMessage());
        assertEquals(List.of(), volumes.list(Map.of(), UNUSED));
    }

    @Test
    void getOfAMissingOrMalformedName() {
        assertEquals("get nope: no such volume", assertThrows(VolumeException.NotFound.class, () -> volumes.get("nope")).getMessage());
        assertThrows(VolumeException.NotFound.class, () -> volumes.get("../volumes"));
    }

    @Test
    void listFilters() {
        volumes.create("web-data", null, Map.of("app", "web", "tier", "front"), Map.of());
        volumes.create("db-data", null, Map.of("app", "db"), Map.of());
        volumes.create("cache", null, Map.of(), Map.of());
        Function<String, List<String>> users = n -> n.equals("db-data") ? List.of("c1") : List.of();
        assertEquals(List.of("cache", "db-data", "web-data"), names(volumes.list(Map.of(), users)));
        assertEquals(List.of("db-data", "web-data"), names(volumes.list(Map.of("name", List.of("data")), users)));
        assertEquals(List.of("web-data"), names(volumes.list(Map.of("name", List.of("^w.*a$")), users)));
        assertEquals(List.of("db-data", "web-data"), names(volumes.list(Map.of("label", List.of("app")), users)));
        assertEquals(List.of("web-data"), names(volumes.list(Map.of("label", List.of("app=web", "tier")), users)));
        assertEquals(List.of(), names(volumes.list(Map.of("label", List.of("app=web", "tier=back")), users)));
        assertEquals(List.of("cache", "web-data"), names(volumes.list(Map.of("dangling", List.of("true")), users)));
        assertEquals(List.of("db-data"), names(volumes.list(Map.of("dangling", List.of("0")), users)));
        assertEquals(3, volumes.list(Map.of("driver", List.of("local")), users).size());
        assertEquals(0, volumes.list(Map.of("driver", List.of("nfs")), users).size());
        assertEquals("invalid filter 'colour'", assertThrows(VolumeException.Invalid.class,
                () -> volumes.list(Map.of("colour", List.of("red")), users)).getMessage());
        assertEquals("invalid filter 'dangling=maybe'", assertThrows(VolumeException.Invalid.class,
                () -> volumes.list(Map.of("dangling", List.of("maybe")), users)).getMessage());
    }

    @Test
    void removeRefusesAVolumeInUse() {
        Volume v = volumes.create("busy", null, Map.of(), Map.of());
        VolumeException.Conflict e = assertThrows(VolumeException.Conflict.class,
                () -> volumes.remove("busy", true, n -> List.of("abc123", "def456")));
        assertEquals("remove busy: volume is in use - [abc123, def456]", e.getMessage());
        volumes.remove("busy", false, UNUSED);
        assertFalse(Files.exists(Path.of(v.mountpoint()).getParent()));
        assertEquals("get busy: no such volume", assertThrows(VolumeException.NotFound.class, () -> volumes.remove("busy", false, UNUSED)).getMessage());
        volumes.remove("busy", true, UNUSED);
    }

    @Test
    void pruneTakesUnusedAnonymousVolumesUnlessAll() throws Exception {
        Volume anon = volumes.create(null, null, Map.of("keep", "no"), Map.of());
        Files.writeString(Path.of(anon.mountpoint()).resolve("f"), "12345");
        Files.createLink(Path.of(anon.mountpoint()).resolve("g"), Path.of(anon.mountpoint()).resolve("f"));
        Volume used = volumes.create(null, null, Map.of(), Map.of());
        volumes.create("named", null, Map.of("keep", "yes"), Map.of());
        volumes.create("mounted", null, Map.of(), Map.of("type", "tmpfs", "device", "tmpfs"));
        Function<String, List<String>> users = n -> n.equals(used.name()) ? List.of("c1") : List.of();

        assertEquals(5, volumes.withUsage(anon, users).usageData().size(), "a hard-linked file counts once");
        assertEquals(new PruneReport(List.of(), 0), volumes.prune(Map.of("label!", List.of("keep=no")), users));
        assertEquals(new PruneReport(List.of(anon.name()), 5), volumes.prune(Map.of(), users));
        assertEquals(new PruneReport(List.of(), 0), volumes.prune(Map.of("all", List.of("true"), "label", List.of("keep=no")), users));
        assertEquals(new PruneReport(List.of("named"), 0), volumes.prune(Map.of("all", List.of("1")), users));
        assertEquals(List.of("mounted", used.name()).stream().sorted().toList(), names(volumes.list(Map.of(), users)));
        assertThrows(VolumeException.Invalid.class, () -> volumes.prune(Map.of("all", List.of("yes")), users));
        assertThrows(VolumeException.Invalid.class, () -> volumes.prune(Map.of("dangling", List.of("true")), users));
    }

    @Test
    void aHalfCreatedVolumeIsNoVolumeAndIsReplaced() throws Exception {
        Path leftover = Files.createDirectories(tmp.resolve("volumes/half/_data"));
        Files.writeString(leftover.resolve("old"), "old");
        assertEquals(List.of(), volumes.list(Map.of(), UNUSED));
        Volume v = volumes.create("half", null, Map.of(), Map.of());
        assertFalse(Files.exists(Path.of(v.mountpoint()).resolve("old")));
    }

    private static List<String> names(List<Volume> vs) {
        return vs.stream().map(Volume::name).toList();
    }

    private static List<String> iterable(Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
