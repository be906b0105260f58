package berth.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code volume} and {@code network} verbs end to end against the {@link DaemonUnderTest}. */
class ResourceCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static DaemonUnderTest daemon;
    static Berth berth;

    @BeforeAll
    static void start() throws Exception {
        daemon = DaemonUnderTest.start();
        berth = new Berth(daemon, daemon.dir().resolve("cfg"));
        daemon.loadBusybox(berth);
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) daemon.close();
    }

    @Test
    void volumesAreCreatedListedUsedAndRemoved() throws Exception {
        String v = ContainerCliTest.name();
        assertEquals(v + "\n", berth.run("volume", "create", "--label", "owner=it", v).ok().out());
        String ls = berth.run("volume", "ls").ok().out();
        assertTrue(ls.lines().findFirst().orElseThrow().matches("DRIVER\\s+VOLUME NAME"), ls);
        assertTrue(ls.contains("local") && ls.contains(v), ls);
        assertEquals(v + "\n", berth.run("volume", "ls", "-q", "--filter", "label=owner=it").ok().out());
        assertEquals(v + " local", berth.run("volume", "inspect", "-f", "{{.Name}} {{.Driver}}", v).ok().out().strip());
        JsonNode inspected = JSON.readTree(berth.run("volume", "inspect", v).ok().out());
        assertEquals("it", inspected.get(0).get("Labels").get("owner").asText());

        berth.run("run", "--rm", "-v", v + ":/data", "busybox", "sh", "-c", "echo kept > /data/f").ok();
        assertEquals("kept\n", berth.run("run", "--rm", "--mount", "type=volume,source=" + v + ",target=/d,readonly", "busybox", "cat", "/d/f").ok().out());

        assertEquals(v + "\n", berth.run("volume", "rm", v).ok().out());
        Berth.Result again = berth.run("volume", "rm", v);
        assertEquals(1, again.status());
        assertTrue(again.err().startsWith("Error response from daemon: "), again.err());

        String unused = ContainerCliTest.name();
        berth.run("volume", "create", unused).ok();
        Berth.Result prune = berth.run("volume", "prune", "-f", "--filter", "label!=keep");
        assertEquals(0, prune.status(), prune.err());
        assertTrue(prune.out().contains("Total reclaimed space:"), prune.out());
        berth.run("volume", "rm", "-f", unused);
    }

    @Test
    void networksAreCreatedConnectedAndRemoved() throws Exception {
        String net = ContainerCliTest.name();
        String id = berth.run("network", "create", "--subnet", "10.213.7.0/24", "--label", "owner=it", net).ok().out().strip();
        assertTrue(id.matches("[0-9a-f]{64}"), id);
        String ls = berth.run("network", "ls").ok().out();
        assertTrue(ls.lines().findFirst().orElseThrow().matches("NETWORK ID\\s+NAME\\s+DRIVER\\s+SCOPE"), ls);
        assertTrue(ls.contains(id.substring(0, 12) + "   " + net), ls);
        assertEquals(net + " bridge 10.213.7.0/24", berth.run("network", "inspect", "-f",
                "{{.Name}} {{.Driver}} {{range .IPAM.Config}}{{.Subnet}}{{end}}", net).ok().out().strip());

        String c = ContainerCliTest.name();
        berth.run("run", "-d", "--name", c, "--network", net, "--ip", "10.213.7.50", "busybox", "sleep", "60").ok();
        try {
            assertEquals("10.213.7.50", berth.run("inspect", "-f", "{{range $n, $e := .NetworkSettings.Networks}}{{$e.IPAddress}}{{end}}", c).ok().out().strip());
            String other = ContainerCliTest.name();
            berth.run("network", "create", other).ok();
            try {
                berth.run("network", "connect", "--alias", "extra", other, c).ok();
                String nets = berth.run("inspect", "-f", "{{range $n, $e := .NetworkSettings.Networks}}{{$n}} {{end}}", c).ok().out();
                assertTrue(nets.contains(other) && nets.contains(net), nets);
                berth.run("network", "disconnect", other, c).ok();
                assertFalse(berth.run("inspect", "-f", "{{range $n, $e := .NetworkSettings.Networks}}{{$n}} {{end}}", c).ok().out().contains(other));
            } finally {
                berth.run("network", "rm", other);
            }
            Berth.Result inUse = berth.run("network", "rm", net);
            assertEquals(1, inUse.status());
            assertEquals(1, inUse.err().lines().count(), inUse.err());
        } finally {
            berth.run("rm", "-f", c);
        }
        assertEquals(net + "\n", berth.run("network", "rm", net).ok().out());
        String idle = ContainerCliTest.name();
        berth.run("network", "create", idle).ok();
        Berth.Result prune = berth.run("network", "prune", "-f");
        assertEquals(0, prune.status(), prune.err());
        assertTrue(prune.out().contains(idle), prune.out());
    }
}
