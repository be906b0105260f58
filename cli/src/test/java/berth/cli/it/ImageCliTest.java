package berth.cli.it;

import berth.image.it.TestRegistry;
import berth.image.it.UmociImage;
import berth.image.snapshot.Tree;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The image commands of {@code bin/berth}, end to end: a real registry (docker-registry, with and without
 * htpasswd auth), images made by umoci and moved by skopeo, archives read and written by skopeo.
 */
class ImageCliTest {
    static Path work;
    static TestRegistry open;
    static TestRegistry locked;
    static UmociImage image;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void setUp() throws Exception {
        work = Files.createTempDirectory("berth-cli-it-");
        open = TestRegistry.start();
        locked = TestRegistry.start("tester", "s3cret-pw");
        image = UmociImage.build(work);
        open.pushOciLayout(image.layout(), UmociImage.TAG, "umoci/test:1");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (open != null) open.close();
        if (locked != null) locked.close();
        if (work != null) Tree.delete(work);
    }

    @Test
    void pullListInspectHistoryTagRmi(@TempDir Path root) throws Exception {
        Berth berth = new Berth(root, root.resolve("cfg"));
        String ref = open.host() + "/umoci/test:1";
        Berth.Result pull = berth.run("pull", ref).ok();
        assertTrue(pull.out().contains("1: Pulling from " + open.host() + "/umoci/test"), pull.out());
        assertTrue(pull.out().contains("Pull complete"), pull.out());
        assertTrue(pull.out().contains("Status: Downloaded newer image for " + ref), pull.out());
        assertTrue(pull.out().strip().endsWith(ref), pull.out());

        String images = berth.run("images").ok().out();
        assertTrue(images.lines().findFirst().orElseThrow().matches("REPOSITORY\\s+TAG\\s+IMAGE ID\\s+CREATED\\s+SIZE"), images);
        assertTrue(images.contains(open.host() + "/umoci/test"), images);

        JsonNode inspect = JSON.readTree(berth.run("image", "inspect", ref).ok().out()).get(0);
        String id = inspect.get("Id").asText();
        assertTrue(id.startsWith("sha256:"));
        assertEquals("FROM_UMOCI=1", inspect.get("Config").get("Env").get(inspect.get("Config").get("Env").size() - 1).asText());
        assertEquals(3, inspect.get("RootFS").get("Layers").size());

        String history = berth.run("history", ref).ok().out();
        assertEquals(5, history.lines().count(), history); // header, umoci config (empty layer), three layers
        assertTrue(history.contains("umoci raw add-layer"), history);
        assertTrue(history.lines().skip(1).findFirst().orElseThrow().startsWith(id.substring(7, 19)), history);

        berth.run("tag", ref, "mine:v1").ok();
        assertEquals(id, JSON.readTree(berth.run("inspect", "mine:v1").ok().out()).get(0).get("Id").asText());
        Berth.Result ambiguous = berth.run("rmi", id.substring(7, 19));
        assertEquals(1, ambiguous.status());
        assertTrue(ambiguous.err().contains("referenced in multiple repositories"), ambiguous.err());
        assertEquals("Untagged: mine:v1\n", berth.run("rmi", "mine:v1").ok().out());
        Berth.Result rm = berth.run("rmi", ref).ok();
        assertTrue(rm.out().contains("Deleted: " + id), rm.out());
        assertEquals("", berth.run("images", "-q").ok().out());
        assertTrue(Files.list(root.resolve("snapshots")).noneMatch(p -> p.getFileName().toString().length() == 64),
                "rmi collected the snapshots");
        try (var blobs = Files.list(root.resolve("content/blobs/sha256"))) {
            assertEquals(0, blobs.count(), "rmi collected the blobs");
        }
    }

    @Test
    void errorsAreOneLine(@TempDir Path root) throws Exception {
        Berth berth = new Berth(root, root.resolve("cfg"));
        Berth.Result missing = berth.run("pull", open.host() + "/no/such:tag");
        assertEquals(1, missing.status());
        assertEquals("Error: pull " + open.host() + "/no/such:tag: manifest unknown (MANIFEST_UNKNOWN)\n", missing.err());
        Berth.Result bad = berth.run("pull", "Not_Valid");
        assertEquals(1, bad.status());
        assertEquals(1, bad.err().lines().count(), bad.err());
        assertTrue(bad.err().contains("must be lowercase"), bad.err());
        Berth.Result noImage = berth.run("image", "inspect", "nothing:here");
        assertEquals("Error: No such image: nothing:here\n", noImage.err());
        Berth.Result usage = berth.run("images", "--bogus");
        assertEquals(125, usage.status());
        assertTrue(usage.err().startsWith("berth: unknown flag: --bogus"), usage.err());
    }

    @Test
    void loginPushAndPullWithCredentials(@TempDir Path root) throws Exception {
        Path cfg = root.resolve("cfg");
        Berth berth = new Berth(root, cfg);
        Path rootfs = busyboxTar(root);
        berth.run("import", "-c", "CMD [\"/bin/sh\"]", rootfs.toString(), locked.host() + "/team/box:1").ok();

        Berth.Result anonymous = berth.run("push", locked.host() + "/team/box:1");
        assertEquals(1, anonymous.status());
        assertTrue(anonymous.err().contains("berth login " + locked.host()), anonymous.err());

        Berth.Result wrong = berth.run("login", "-u", "tester", "-p", "wrong", locked.host());
        assertEquals(1, wrong.status());
        assertTrue(wrong.err().contains("login to " + locked.host() + " failed"), wrong.err());
        assertFalse(Files.exists(cfg.resolve("config.json")) && Files.readString(cfg.resolve("config.json")).contains(locked.host()));

        Path pw = Files.writeString(root.resolve("pw"), "s3cret-pw\n");
        assertTrue(berth.run(pw, "login", "-u", "tester", "--password-stdin", locked.host()).ok().out().contains("Login Succeeded"));
        JsonNode auths = JSON.readTree(cfg.resolve("config.json").toFile()).get("auths");
        assertTrue(auths.has(locked.host()), auths.toString());

        Berth.Result push = berth.run("push", locked.host() + "/team/box:1").ok();
        assertTrue(push.out().contains("1: digest: sha256:"), push.out());

        Path other = root.resolve("other");
        Berth fresh = new Berth(other, cfg);
        fresh.run("pull", locked.host() + "/team/box:1").ok();
        assertEquals(berth.run("images", "-q").ok().out(), fresh.run("images", "-q").ok().out());

        assertTrue(berth.run("logout", locked.host()).ok().out().contains("Removing login credentials for " + locked.host()));
        assertEquals(1, new Berth(root.resolve("third"), cfg).run("pull", locked.host() + "/team/box:1").status());
    }

    @Test
    void saveAndLoadInteroperateWithSkopeo(@TempDir Path root) throws Exception {
        Berth berth = new Berth(root.resolve("a"), root.resolve("cfg"));
        String ref = open.host() + "/umoci/test:1";
        berth.run("pull", ref).ok();
        String id = berth.run("images", "-q", "--no-trunc").ok().out().strip();
        Path saved = root.resolve("saved.tar");
        berth.run("save", "-o", saved.toString(), ref).ok();

        // skopeo reads both faces of the archive
        UmociImage.run(root, "skopeo", "--insecure-policy", "copy", "docker-archive:" + saved, "oci:" + root.resolve("via-docker") + ":x");
        UmociImage.run(root, "skopeo", "--insecure-policy", "copy", "oci-archive:" + saved, "oci:" + root.resolve("via-oci") + ":y");

        // berth reads it back, and reads what skopeo writes
        Berth other = new Berth(root.resolve("b"), root.resolve("cfg"));
        assertEquals("Loaded image: " + ref + "\n", other.run("load", "-q", "-i", saved.toString()).ok().out());
        assertEquals(id, other.run("images", "-q", "--no-trunc").ok().out().strip());
        Path dockerArchive = root.resolve("skopeo-docker.tar");
        UmociImage.run(root, "skopeo", "--insecure-policy", "copy", "oci:" + image.layout() + ":" + UmociImage.TAG,
                "docker-archive:" + dockerArchive + ":skopeo/made:2");
        Berth third = new Berth(root.resolve("c"), root.resolve("cfg"));
        assertEquals("Loaded image: skopeo/made:2\n", third.run(dockerArchive, "load", "-q").ok().out());
        assertNotEquals("", third.run("images", "-q").ok().out());
        Path ociArchive = root.resolve("skopeo-oci.tar");
        UmociImage.run(root, "skopeo", "--insecure-policy", "copy", "oci:" + image.layout() + ":" + UmociImage.TAG,
                "oci-archive:" + ociArchive + ":3");
        assertTrue(third.run("load", "-i", ociArchive.toString()).ok().out().contains("Loaded image ID: sha256:"));
    }

    @Test
    void importMakesARunnableRootfsImage(@TempDir Path root) throws Exception {
        Berth berth = new Berth(root, root.resolve("cfg"));
        String id = berth.run("import", "-c", "ENV A=1", "-c", "CMD [\"/bin/sh\"]", "-m", "from a tar",
                busyboxTar(root).toString(), "bb:imported").ok().out().strip();
        JsonNode inspect = JSON.readTree(berth.run("inspect", "bb:imported").ok().out()).get(0);
        assertEquals(id, inspect.get("Id").asText());
        assertEquals("from a tar", inspect.get("Comment").asText());
        assertEquals(List.of("A=1"), List.of(inspect.get("Config").get("Env").get(0).asText()));
        Path top = root.resolve("snapshots").resolve(inspect.get("RootFS").get("Layers").get(0).asText().substring(7)).resolve("fs");
        assertTrue(Files.isExecutable(top.resolve("bin/busybox")));
        berth.run("image", "prune", "-a", "-f").ok();
        assertEquals("", berth.run("images", "-q").ok().out());
    }

    static Path busyboxTar(Path dir) throws Exception {
        Path rootfs = Files.createDirectories(dir.resolve("bbroot/bin"));
        Files.copy(Path.of("/bin/busybox"), rootfs.resolve("busybox"));
        Files.createSymbolicLink(rootfs.resolve("sh"), Path.of("busybox"));
        Path tar = dir.resolve("busybox-rootfs.tar");
        UmociImage.run(dir, "tar", "-C", dir.resolve("bbroot").toString(), "-cf", tar.toString(), ".");
        return tar;
    }
}
