package berth.image;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReferenceTest {
    private static final String HEX = "a".repeat(64);

    @Test
    void shortNamesAreDockerHubLibraryLatest() {
        Reference r = Reference.parse("busybox");
        assertEquals("docker.io", r.domain());
        assertEquals("library/busybox", r.path());
        assertEquals("latest", r.tag());
        assertEquals("docker.io/library/busybox:latest", r.toString());
        assertEquals("busybox:latest", r.familiar());
        assertEquals("registry-1.docker.io", r.apiHost());
    }

    @Test
    void userRepositoriesStayOnDockerHub() {
        Reference r = Reference.parse("user/app:1.0");
        assertEquals("docker.io/user/app:1.0", r.toString());
        assertEquals("user/app:1.0", r.familiar());
        assertEquals("docker.io/library/busybox:latest", Reference.parse("index.docker.io/library/busybox").toString());
    }

    @Test
    void registryHostsAreRecognisedByDotColonOrLocalhost() {
        Reference r = Reference.parse("127.0.0.1:5000/team/app:v2");
        assertEquals("127.0.0.1:5000", r.domain());
        assertEquals("team/app", r.path());
        assertEquals("v2", r.tag());
        assertEquals("127.0.0.1:5000/team/app:v2", r.familiar());
        assertEquals("localhost", Reference.parse("localhost/app").domain());
        assertEquals("quay.io", Reference.parse("quay.io/x/y").domain());
        assertEquals("127.0.0.1:5000", Reference.parse("127.0.0.1:5000/app").domain());
    }

    @Test
    void digestsWithAndWithoutTags() {
        Reference r = Reference.parse("busybox@sha256:" + HEX);
        assertNull(r.tag());
        assertEquals("sha256:" + HEX, r.digest().toString());
        assertEquals("docker.io/library/busybox@sha256:" + HEX, r.toString());
        Reference both = Reference.parse("127.0.0.1:5000/app:1@sha256:" + HEX);
        assertEquals("1", both.tag());
        assertEquals(HEX, both.digest().hex());
    }

    @Test
    void invalidReferencesSayWhy() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Reference.parse("Busybox")).getMessage().contains("lowercase"));
        assertThrows(IllegalArgumentException.class, () -> Reference.parse("busybox:"));
        assertThrows(IllegalArgumentException.class, () -> Reference.parse("busy..box"));
        assertThrows(IllegalArgumentException.class, () -> Reference.parse("busybox@sha256:123"));
        assertThrows(IllegalArgumentException.class, () -> Reference.parse("busybox@md5:" + HEX));
        assertThrows(IllegalArgumentException.class, () -> Reference.parse(""));
        assertThrows(IllegalArgumentException.class, () -> Reference.parse("a//b"));
    }

    @Test
    void separatorsInsidePathComponents() {
        assertEquals("library/my_app", Reference.parse("my_app").path());
        assertEquals("library/my__app", Reference.parse("my__app").path());
        assertEquals("library/my---app", Reference.parse("my---app").path());
        assertEquals("library/my.app", Reference.parse("my.app").path());
        assertThrows(IllegalArgumentException.class, () -> Reference.parse("my___app"));
        assertThrows(IllegalArgumentException.class, () -> Reference.parse("-app"));
    }

    @Test
    void platforms() {
        assertEquals(Platform.LINUX_AMD64, Platform.parse("linux/amd64"));
        assertEquals("amd64", Platform.parse("linux/x86_64").architecture());
        assertTrue(Platform.parse("linux/arm64").matches(new Platform("arm64", "linux", "v8", null)));
        assertTrue(!Platform.LINUX_AMD64.matches(new Platform("arm64", "linux", null, null)));
        assertThrows(IllegalArgumentException.class, () -> Platform.parse("linux"));
    }
}
