package berth.network.names;

import berth.network.Endpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static berth.network.names.NameBookTest.CACHE;
import static berth.network.names.NameBookTest.DB;
import static berth.network.names.NameBookTest.WEB;
import static berth.network.names.NameBookTest.ep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostsUpdaterTest {
    @TempDir Path dir;
    private final Map<String, HostsUpdater.Target> targets = new HashMap<>();
    private final Map<String, List<Endpoint>> networks = new HashMap<>();
    private HostsUpdater updater;

    private void start(String id, String name) {
        targets.put(id, new HostsUpdater.Target(dir.resolve(name + ".hosts"), HostsConfig.of(NameBook.shortId(id)), List.of()));
    }

    private Endpoint join(Endpoint e) {
        networks.computeIfAbsent(e.network(), k -> new ArrayList<>()).add(e);
        return e;
    }

    private Endpoint leave(Endpoint e) {
        networks.get(e.network()).remove(e);
        return e;
    }

    private String hosts(String name) throws IOException {
        return Files.readString(dir.resolve(name + ".hosts"));
    }

    private void setUp() {
        updater = new HostsUpdater(new NameBook(), id -> Optional.ofNullable(targets.get(id)));
    }

    @Test
    void containerStartedLaterBecomesResolvable() throws IOException {
        setUp();
        start(WEB, "web");
        assertEquals(List.of(WEB), updater.onJoin(join(ep(WEB, "web", "app", "172.20.0.2")), networks));
        assertFalse(hosts("web").contains("db"));
        Object webInode = Files.getAttribute(dir.resolve("web.hosts"), "unix:ino");

        start(DB, "db");
        assertEquals(List.of(WEB, DB), updater.onJoin(join(ep(DB, "db", "app", "172.20.0.3", "database")), networks));
        assertTrue(hosts("web").endsWith("172.20.0.2\taaaaaaaaaaaa\n172.20.0.3\tdb database bbbbbbbbbbbb\n"), hosts("web"));
        assertTrue(hosts("db").endsWith("172.20.0.3\tbbbbbbbbbbbb\n172.20.0.2\tweb aaaaaaaaaaaa\n"), hosts("db"));
        assertEquals(webInode, Files.getAttribute(dir.resolve("web.hosts"), "unix:ino"));

        // A container on another network changes nothing here.
        start(CACHE, "cache");
        assertEquals(List.of(CACHE), updater.onJoin(join(ep(CACHE, "cache", "other", "172.21.0.2")), networks));
        assertFalse(hosts("web").contains("cache"));
    }

    @Test
    void leavingRemovesTheNamesEverywhere() throws IOException {
        setUp();
        start(WEB, "web");
        start(DB, "db");
        join(ep(WEB, "web", "app", "172.20.0.2"));
        Endpoint db = join(ep(DB, "db", "app", "172.20.0.3"));
        updater.refresh("app", networks);
        assertTrue(hosts("web").contains("\tdb "));

        assertEquals(List.of(WEB, DB), updater.onLeave(leave(db), networks));
        assertFalse(hosts("web").contains("db"));
        assertFalse(hosts("db").contains("172.20.0"), hosts("db")); // its own address on app is gone too
    }

    @Test
    void unchangedFilesAreNotRewritten() throws IOException {
        setUp();
        start(WEB, "web");
        join(ep(WEB, "web", "app", "172.20.0.2"));
        assertEquals(List.of(WEB), updater.refreshAll(networks));
        assertEquals(List.of(), updater.refreshAll(networks));
        assertEquals(List.of(), updater.refreshContainer(WEB, networks));
    }

    @Test
    void containersWithoutATargetAreSkipped() throws IOException {
        setUp();
        start(WEB, "web");
        join(ep(WEB, "web", "app", "172.20.0.2"));
        // db has an endpoint but no hosts file kept by berth (e.g. not started yet)
        assertEquals(List.of(WEB), updater.onJoin(join(ep(DB, "db", "app", "172.20.0.3")), networks));
        assertTrue(hosts("web").contains("\tdb "));
    }

    @Test
    void defaultBridgeRefreshesLinksNotNames() throws IOException {
        setUp();
        targets.put(WEB, new HostsUpdater.Target(dir.resolve("web.hosts"), HostsConfig.of("aaaaaaaaaaaa"),
                List.of(Link.of("db:webdb", DB, "bbbbbbbbbbbb"))));
        start(CACHE, "cache");
        updater.onJoin(join(ep(WEB, "web", "bridge", "172.17.0.2")), networks);
        updater.onJoin(join(ep(CACHE, "cache", "bridge", "172.17.0.4")), networks);
        assertFalse(hosts("web").contains("webdb"));
        assertFalse(hosts("web").contains("cache"));

        // The linked container comes (back) on the default network: the linking one's entry follows its address.
        updater.onJoin(join(ep(DB, "db", "bridge", "172.17.0.3")), networks);
        assertTrue(hosts("web").contains("172.17.0.3\twebdb bbbbbbbbbbbb db\n"), hosts("web"));
        assertFalse(hosts("web").contains("cache"));
    }

    @Test
    void failuresAreReportedTogetherAfterTheOthersAreWritten() throws IOException {
        setUp();
        targets.put(WEB, new HostsUpdater.Target(dir.resolve("gone/web.hosts"), HostsConfig.of("aaaaaaaaaaaa"), List.of()));
        start(DB, "db");
        join(ep(WEB, "web", "app", "172.20.0.2"));
        join(ep(DB, "db", "app", "172.20.0.3"));
        IOException e = assertThrows(IOException.class, () -> updater.refresh("app", networks));
        assertEquals("update hosts files: container aaaaaaaaaaaa: write " + dir.resolve("gone/web.hosts")
                + ": no such file or directory", e.getMessage());
        assertTrue(hosts("db").contains("\tweb "));
    }
}
