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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The image commands of {@code bin/berth} against the {@link DaemonUnderTest}: a real registry
 * (docker-registry, with and without htpasswd auth), images made by umoci and moved by skopeo, archives
 * read and written by skopeo.
 */
class ImageCliTest {
    static Path work;
    static TestRegistry open;
    static TestRegistry locked;
    static UmociImage image;
    static DaemonUnderTest daemon;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void setUp() throws Exception {
        work = Files.createTempDirectory("berth-cli-it-");
        open = TestRegistry.start();
        locked = TestRegistry.start("tester", "s3cret-pw");
        image = UmociImage.build(work);
        open.pushOciLayout(image.layout(), UmociImage.TAG, "umoci/test:1");
        daemon = DaemonUnderTest.start();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (daemon != null) daemon.close();
        if (open != null) open.close();
        if (locked != null) locked.close();
        if (work != null) Tree.delete(work);
    }

    @Test
    void pullListInspectHistoryTagRmi(@TempDir Path cfg) throws Exception {
        Berth berth = new Berth(daemon, cfg);
        String ref = open.host() + "/umoci/test:1";
        Berth.Result pull = berth.run("pull", ref).ok();
        assertTrue(pull.out().contains("1: Pulling from umoci/test"), pull.out());
        assertTrue(pull.out().contains("Pull complete"), pull.out());
        assertTrue(pull.out().contains("Status: Downloaded newer image for " + ref), pull.out());
        assertTrue(pull.out().strip().endsWith(ref), pull.out());

        String images = berth.run("images").ok().out();
        assertTrue(images.lines().findFirst().orElseThrow().matches("REPOSITORY\\s+TAG\\s+IMAGE ID\\s+CREATED\\s+SIZE"), images);
        assertTrue(images.contains(open.host() + "/umoci/test   1 "), images);

        JsonNode inspect = JSON.readTree(berth.run("image", "inspect", ref).ok().out()).get(0);
        String id = inspect.get("Id").asText();
        assertTrue(id.startsWith("sha256:"));
        JsonNode env = inspect.get("Config").get("Env");
        assertEquals("FROM_UMOCI=1", env.get(env.size() - 1).asText());
        assertEquals(3, inspect.get("RootFS").get("Layers").size());
        assertEquals(id, berth.run("image", "inspect", "-f", "{{.Id}}", ref).ok().out().strip());

        String history = berth.run("history", ref).ok().out();
        assertTrue(history.lines().findFirst().orElseThrow().matches("IMAGE\\s+CREATED\\s+CREATED BY\\s+SIZE\\s+COMMENT"), history);
        assertTrue(history.contains("umoci raw add-layer"), history);
        assertTrue(history.lines().skip(1).findFirst().orElseThrow().startsWith(id.substring(7, 19)), history);

        berth.run("tag", ref, "mine:v1").ok();
        assertEquals(id, JSON.readTree(berth.run("inspect", "mine:v1").ok().out()).get(0).get("Id").asText());
        Berth.Result ambiguous = berth.run("rmi", id.substring(7, 19));
        assertEquals(1, ambiguous.status());
        assertEquals(1, ambiguous.err().lines().count(), ambiguous.err());
        assertTrue(ambiguous.err().contains("referenced in multiple repositories"), ambiguous.err());
        assertEquals("Untagged: mine:v1\n", berth.run("rmi", "mine:v1").ok().out());
        Berth.Result rm = berth.run("rmi", ref).ok();
        assertTrue(rm.out().contains("Deleted: " + id), rm.out());
        assertFalse(berth.run("images", "-q", "--no-trunc").ok().out().contains(id));
    }

    @Test
    void errorsAreOneLine(@TempDir Path cfg) throws Exception {
        Berth berth = new Berth(daemon, cfg);
        Berth.Result missing = berth.run("pull", open.host() + "/no/such:tag");
        assertEquals(1, missing.status());
        assertEquals(1, missing.err().lines().count(), missing.err());
        assertTrue(missing.err().startsWith("Error response from daemon: "), missing.err());
        assertTrue(missing.err().contains("manifest unknown"), missing.err());
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
    void loginPushAndPullWithCredentials(@TempDir Path cfg) throws Exception {
        Berth berth = new Berth(daemon, cfg);
        String ref = locked.host() + "/team/box:1";
        String id = berth.run("import", "-c", "CMD [\"/bin/sh\"]", DaemonUnderTest.busyboxTar(cfg).toString(), ref).ok().out().strip();

        Berth.Result anonymous = berth.run("push", ref);
        assertEquals(1, anonymous.status());
        assertEquals(1, anonymous.err().lines().count(), anonymous.err());

        Berth.Result wrong = berth.run("login", "-u", "tester", "-p", "wrong", locked.host());
        assertEquals(1, wrong.status());
        assertTrue(wrong.err().lines().anyMatch(l -> l.startsWith("Error response from daemon: ")), wrong.err());
        assertFalse(Files.exists(cfg.resolve("config.json")) && Files.readString(cfg.resolve("config.json")).contains(locked.host()));

        Path pw = Files.writeString(cfg.resolve("pw"), "s3cret-pw\n");
        assertTrue(berth.run(pw, "login", "-u", "tester", "--password-stdin", locked.host()).ok().out().contains("Login Succeeded"));
        JsonNode auths = JSON.readTree(cfg.resolve("config.json").toFile()).get("auths");
        assertTrue(auths.has(locked.host()), auths.toString());

        Berth.Result push = berth.run("push", ref).ok();
        assertTrue(push.out().contains("1: digest: sha256:"), push.out());

        berth.run("rmi", ref).ok();
        berth.run("pull", ref).ok();
        assertEquals(id, berth.run("image", "inspect", "-f", "{{.Id}}", ref).ok().out().strip());

        assertTrue(berth.run("logout", locked.host()).ok().out().contains("Removing login credentials for " + locked.host()));
        berth.run("rmi", ref).ok();
        Berth.Result denied = berth.run("pull", ref);
        assertEquals(1, denied.status());
        assertEquals(1, denied.err().lines().count(), denied.err());
    }

    @Test
    void saveAndLoadInteroperateWithSkopeo(@TempDir Path dir) throws Exception {
        Berth berth = new Berth(daemon, dir.resolve("cfg"));
        String ref = open.host() + "/umoci/test:1";
        berth.run("pull", ref).ok();
        String id = berth.run("image", "inspect", "-f", "{{.Id}}", ref).ok().out().strip();
        Path saved = dir.resolve("saved.tar");
        berth.run("save", "-o", saved.toString(), ref).ok();

        UmociImage.run(dir, "skopeo", "--insecure-policy", "copy", "docker-archive:" + saved, "oci:" + dir.resolve("via-docker") + ":x");

        berth.run("rmi", ref).ok();
        assertEquals("Loaded image: " + ref + "\n", berth.run("load", "-q", "-i", saved.toString()).ok().out());
        assertEquals(id, berth.run("image", "inspect", "-f", "{{.Id}}", ref).ok().out().strip());
        Path dockerArchive = dir.resolve("skopeo-docker.tar");
        UmociImage.run(dir, "skopeo", "--insecure-policy", "copy", "oci:" + image.layout() + ":" + UmociImage.TAG,
                "docker-archive:" + dockerArchive + ":skopeo/made:2");
        assertEquals("Loaded image: skopeo/made:2\n", berth.run(dockerArchive, "load", "-q").ok().out());
        assertTrue(berth.run("image", "inspect", "-f", "{{.Id}}", "skopeo/made:2").ok().out().startsWith("sha256:"));
        berth.run("rmi", ref, "skopeo/made:2").ok();
    }

    @Test
    void importMakesARunnableRootfsImage(@TempDir Path dir) throws Exception {
        Berth berth = new Berth(daemon, dir.resolve("cfg"));
        String id = berth.run("import", "-c", "ENV A=1", "-c", "CMD [\"/bin/sh\", \"-c\", \"echo A=$A\"]", "-m", "from a tar",
                DaemonUnderTest.busyboxTar(dir).toString(), "bb:imported").ok().out().strip();
        JsonNode inspect = JSON.readTree(berth.run("inspect", "bb:imported").ok().out()).get(0);
        assertEquals(id, inspect.get("Id").asText());
        assertEquals("from a tar", inspect.get("Comment").asText());
        assertEquals(List.of("A=1"), List.of(inspect.get("Config").get("Env").get(0).asText()));
        assertEquals("A=1\n", berth.run("run", "--rm", "bb:imported").ok().out());
        berth.run("rmi", "bb:imported").ok();
        Berth.Result prune = berth.run("image", "prune", "-f");
        assertEquals(0, prune.status(), prune.err());
        assertTrue(prune.out().contains("Total reclaimed space:"), prune.out());
    }
}
