package berth.engine.spec;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UsersTest {
    private static final String PASSWD = """
            root:x:0:0:root:/root:/bin/sh
            daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin

            www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
            app:x:1000:1000::/home/app:/bin/sh
            """;
    private static final String GROUP = """
            root:x:0:
            daemon:x:1:
            audio:x:29:app
            www-data:x:33:
            app:x:1000:
            docker:x:999:app,www-data
            """;

    @TempDir
    Path rootfs;

    @BeforeEach
    void etc() throws IOException {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), PASSWD);
        Files.writeString(rootfs.resolve("etc/group"), GROUP);
    }

    private Users.ResolvedUser resolve(String user, String... groupAdd) {
        return Users.resolve(rootfs, user, List.of(groupAdd));
    }

    private String rejected(String user, String... groupAdd) {
        return assertThrows(IllegalArgumentException.class, () -> resolve(user, groupAdd)).getMessage();
    }

    @Test
    void theEmptyUserIsRoot() {
        assertEquals(new Users.ResolvedUser(0, 0, List.of(0L), "/root"), resolve(""));
    }

    @Test
    void namesAndNumbers() {
        assertEquals(new Users.ResolvedUser(1000, 1000, List.of(1000L, 29L, 999L), "/home/app"), resolve("app"));
        assertEquals(new Users.ResolvedUser(33, 33, List.of(33L, 999L), "/var/www"), resolve("33"));
        assertEquals(new Users.ResolvedUser(1000, 29, List.of(29L), "/home/app"), resolve("app:audio"));
        assertEquals(new Users.ResolvedUser(1000, 5, List.of(5L), "/home/app"), resolve("1000:5"));
        assertEquals(new Users.ResolvedUser(4242, 0, List.of(0L), "/"), resolve("4242"), "a uid without an entry");
        assertEquals(new Users.ResolvedUser(4242, 4343, List.of(4343L), "/"), resolve("4242:4343"));
    }

    @Test
    void groupAddAppendsGroupsByNameOrNumber() {
        assertEquals(List.of(0L, 29L, 999L, 7L), resolve("", "audio", "999", "7").additionalGids());
    }

    @Test
    void runcsMessages() {
        assertEquals("unable to find user nobody: no matching entries in passwd file", rejected("nobody"));
        assertEquals("unable to find group staff: no matching entries in group file", rejected("app:staff"));
        assertEquals("Unable to find group wheel", rejected("", "wheel"));
        assertEquals("uids and gids must be in range 0-2147483647", rejected("4294967296"));
    }

    @Test
    void withoutPasswdOnlyNumbersWork() throws IOException {
        Files.delete(rootfs.resolve("etc/passwd"));
        Files.delete(rootfs.resolve("etc/group"));
        assertEquals(new Users.ResolvedUser(0, 0, List.of(0L), "/"), resolve(""));
        assertEquals(new Users.ResolvedUser(5, 6, List.of(6L, 7L), "/"), resolve("5:6", "7"));
        assertEquals("unable to find user app: no matching entries in passwd file", rejected("app"));
    }

    @Test
    void symlinksResolveInsideTheRoot(@TempDir Path outside) throws IOException {
        Files.writeString(outside.resolve("passwd"), "root:x:0:0:root:/evil:/bin/sh\n");
        Files.delete(rootfs.resolve("etc/passwd"));
        // An absolute link target and a "../.." escape both stay inside the root filesystem.
        Files.createDirectories(rootfs.resolve("data"));
        Files.writeString(rootfs.resolve("data/passwd"), "root:x:0:0:root:/inside:/bin/sh\n");
        Files.createSymbolicLink(rootfs.resolve("etc/passwd"), Path.of("/data/passwd"));
        assertEquals("/inside", resolve("").home());

        Files.delete(rootfs.resolve("etc/passwd"));
        Files.createSymbolicLink(rootfs.resolve("etc/passwd"), Path.of("../../../../../../.." + outside.resolve("passwd")));
        assertEquals("/", resolve("").home(), "the escape resolves to a path that does not exist in the root");

        Files.delete(rootfs.resolve("etc/passwd"));
        Files.createSymbolicLink(rootfs.resolve("etc/passwd"), outside.resolve("passwd"));
        assertEquals("/", resolve("").home());
    }

    @Test
    void rootPathFollowsLinksWithinTheRoot() throws IOException {
        Files.createDirectories(rootfs.resolve("usr/lib"));
        Files.createSymbolicLink(rootfs.resolve("lib"), Path.of("usr/lib"));
        Files.createSymbolicLink(rootfs.resolve("usr/lib/up"), Path.of("../../.."));
        assertEquals(rootfs.resolve("usr/lib/x"), RootPath.resolve(rootfs, "/lib/x"));
        assertEquals(rootfs.resolve("etc/passwd"), RootPath.resolve(rootfs, "/lib/up/etc/passwd"));
        Files.createSymbolicLink(rootfs.resolve("loop"), Path.of("/loop"));
        assertThrows(IOException.class, () -> RootPath.resolve(rootfs, "/loop/x"));
    }
}
