package berth.network.names;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostsFileTest {
    // The loopback block: libnetwork/etchosts/etchosts.go defaultContent (Docker <= 26), tab-separated
    // ("%s\t%s\n" in Record.WriteTo).
    private static final String LOOPBACK = """
            127.0.0.1\tlocalhost
            ::1\tlocalhost ip6-localhost ip6-loopback
            fe00::0\tip6-localnet
            ff00::0\tip6-mcastprefix
            ff02::1\tip6-allnodes
            ff02::2\tip6-allrouters
            """;

    @Test
    void containerOnTheDefaultBridgeLooksLikeDockers() {
        // `docker run alpine cat /etc/hosts`: the loopback block, then the container's address with its hostname
        // (the short ID by default), added by Sandbox.updateHostsFile after the endpoint joined.
        String hosts = HostsFile.render(HostsConfig.of("4f2a1b3c5d6e"), List.of(), List.of("172.17.0.2"), List.of());
        assertEquals(LOOPBACK + "172.17.0.2\t4f2a1b3c5d6e\n", hosts);
    }

    @Test
    void domainNameGivesTheFqdnAndTheShortName() {
        // sandbox_dns_unix.go updateHostsFile: fqdn = hostname.domainname, then the part before the first dot.
        String hosts = HostsFile.render(new HostsConfig("web", "example.com", List.of()), List.of(), List.of("10.0.0.5"), List.of());
        assertTrue(hosts.endsWith("10.0.0.5\tweb.example.com web\n"), hosts);
        String dotted = HostsFile.render(HostsConfig.of("web.local"), List.of(), List.of("10.0.0.5"), List.of());
        assertTrue(dotted.endsWith("10.0.0.5\tweb.local web\n"), dotted);
    }

    @Test
    void sectionsComeInDockersOrderThenPeers() {
        // Docker: buildHostsFile (defaults + extraHosts, where the daemon puts --add-host before links), then
        // updateHostsFile (own addresses). berth then lists its peers.
        HostsConfig config = new HostsConfig("abc", null, List.of(HostsEntry.parseAddHost("db-static:86.75.30.9", null)));
        String hosts = HostsFile.render(config,
                List.of(new HostsEntry("172.17.0.5", "webdb", "6e5cdeb2d300", "db")),
                List.of("172.17.0.7", "172.20.0.3"),
                List.of(new HostsEntry("172.20.0.4", "api", "api-alias", "0123456789ab")));
        assertEquals(LOOPBACK
                + "86.75.30.9\tdb-static\n"
                + "172.17.0.5\twebdb 6e5cdeb2d300 db\n"
                + "172.17.0.7\tabc\n"
                + "172.20.0.3\tabc\n"
                + "172.20.0.4\tapi api-alias 0123456789ab\n", hosts);
    }

    @Test
    void noNetworkMeansNoOwnEntry() {
        assertEquals(LOOPBACK, HostsFile.render(HostsConfig.of("abc"), List.of(), List.of(), List.of()));
    }

    @Test
    void addHostForms() {
        // docker/cli opts/hosts.go ValidateExtraHost: NAME:IP (first colon), NAME=IP, [IPv6], host-gateway.
        assertEquals("1.2.3.4\tfoo", HostsEntry.parseAddHost("foo:1.2.3.4", null).line());
        assertEquals("2001:db8::33\tfoo", HostsEntry.parseAddHost("foo:2001:db8::33", null).line());
        assertEquals("2001:db8::33\tfoo", HostsEntry.parseAddHost("foo=[2001:db8::33]", null).line());
        assertEquals("1.2.3.4\tfoo", HostsEntry.parseAddHost("foo=1.2.3.4", null).line());
        assertEquals("172.17.0.1\thost.docker.internal",
                HostsEntry.parseAddHost("host.docker.internal:host-gateway", "172.17.0.1").line());
    }

    @Test
    void badAddHostIsOneLineLikeDockers() {
        assertEquals("bad format for add-host: \"foo\"",
                assertThrows(IllegalArgumentException.class, () -> HostsEntry.parseAddHost("foo", null)).getMessage());
        assertEquals("bad format for add-host: \":1.2.3.4\"",
                assertThrows(IllegalArgumentException.class, () -> HostsEntry.parseAddHost(":1.2.3.4", null)).getMessage());
        assertEquals("invalid IP address in add-host: \"1.2.3\"",
                assertThrows(IllegalArgumentException.class, () -> HostsEntry.parseAddHost("foo:1.2.3", null)).getMessage());
        assertEquals("invalid IP address in add-host: \"example.com\"",
                assertThrows(IllegalArgumentException.class, () -> HostsEntry.parseAddHost("foo:example.com", null)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> HostsEntry.parseAddHost("gw:host-gateway", null));
    }

    @Test
    void hostModeKeepsTheHostsFileAndAppendsExtras(@TempDir Path dir) throws IOException {
        Path host = dir.resolve("hosts");
        Files.writeString(host, "127.0.0.1 localhost\n192.168.1.10 nas"); // no final newline
        assertEquals("127.0.0.1 localhost\n192.168.1.10 nas", HostsFile.hostMode(host, List.of()));
        assertEquals("127.0.0.1 localhost\n192.168.1.10 nas\n1.2.3.4\tfoo\n",
                HostsFile.hostMode(host, List.of(new HostsEntry("1.2.3.4", "foo"))));
        assertEquals("1.2.3.4\tfoo\n", HostsFile.hostMode(dir.resolve("missing"), List.of(new HostsEntry("1.2.3.4", "foo"))));
    }

    @Test
    void writeReplacesContentInPlace(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("hosts");
        HostsFile.write(file, "a much longer first content\nwith two lines\n");
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Object inode = Files.getAttribute(file, "unix:ino");

        HostsFile.write(file, "short\n");
        assertEquals("short\n", Files.readString(file)); // truncated, no tail of the old content
        assertEquals(inode, Files.getAttribute(file, "unix:ino")); // same file, as a bind mount needs
    }

    @Test
    void writeErrorNamesTheFile(@TempDir Path dir) {
        Path file = dir.resolve("no-such-dir/hosts");
        IOException e = assertThrows(IOException.class, () -> HostsFile.write(file, "x\n"));
        assertEquals("write " + file + ": no such file or directory", e.getMessage());
    }
}
