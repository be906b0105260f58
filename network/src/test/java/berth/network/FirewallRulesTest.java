package berth.network;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** berth's own iptables chains and the bridge plugin's masquerade chain names. */
class FirewallRulesTest {
    static Network net(String name, String bridge, boolean internal) {
        return new Network(name, "0".repeat(64), "bridge", "10.1.0.0/24", "10.1.0.1", bridge, internal, Map.of(), "t");
    }

    @Test
    void theChainsIsolateNetworksAndKeepInternalOnesIn() {
        FirewallRules fw = new FirewallRules(new RecordingCommands(), "b12345");
        assertEquals("""
                *filter
                :BERTH-FWD-b12345 - [0:0]
                :BERTH-ISO-b12345 - [0:0]
                -A BERTH-FWD-b12345 -o b12345-+ -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
                -A BERTH-FWD-b12345 -i b12345-bbbb ! -o b12345-bbbb -j DROP
                -A BERTH-FWD-b12345 -o b12345-bbbb ! -i b12345-bbbb -j DROP
                -A BERTH-FWD-b12345 -o b12345-+ -m conntrack --ctstate DNAT -j ACCEPT
                -A BERTH-FWD-b12345 -i b12345-aaaa ! -o b12345-aaaa -j BERTH-ISO-b12345
                -A BERTH-FWD-b12345 -i b12345-+ -j ACCEPT
                -A BERTH-ISO-b12345 -o b12345-+ -j DROP
                COMMIT
                """, fw.render(List.of(net("a", "b12345-aaaa", false), net("b", "b12345-bbbb", true))));
    }

    @Test
    void applyRestoresWithoutFlushingAndInsertsTheJumpOnce() {
        RecordingCommands cmds = new RecordingCommands();
        cmds.responder = c -> new Commands.Result(c.argv().contains("-C") ? 1 : 0, "", "");
        FirewallRules fw = new FirewallRules(cmds, "b1");
        fw.apply(List.of(net("a", "b1-aaaa", false)));
        assertEquals(List.of("iptables-restore -w --noflush", "iptables -w -C FORWARD -j BERTH-FWD-b1",
                "iptables -w -I FORWARD 1 -j BERTH-FWD-b1"), cmds.lines());

        cmds.calls.clear();
        cmds.responder = c -> new Commands.Result(c.argv().contains("-D") && cmds.calls.size() > 1 ? 1 : 0, "", "");
        fw.apply(List.of());
        assertEquals(List.of("iptables -w -D FORWARD -j BERTH-FWD-b1", "iptables -w -D FORWARD -j BERTH-FWD-b1",
                "iptables -w -F BERTH-FWD-b1", "iptables -w -X BERTH-FWD-b1", "iptables -w -F BERTH-ISO-b1", "iptables -w -X BERTH-ISO-b1"), cmds.lines());
    }

    @Test
    void theMasqueradeChainIsNamedAsTheBridgePluginNamesIt() {
        // printf 'exp1c1' | sha512sum | cut -c1-24
        assertEquals("CNI-265c177ac42ddafd6fae0dfb", FirewallRules.masqueradeChain("exp1", "c1"));
    }

    @Test
    void aLeftoverMasqueradeChainIsRemovedWithItsJumps() {
        RecordingCommands cmds = new RecordingCommands();
        String chain = FirewallRules.masqueradeChain("n", "c");
        cmds.responder = c -> c.line().endsWith("-S POSTROUTING")
                ? new Commands.Result(0, "-P POSTROUTING ACCEPT\n-A POSTROUTING -s 10.1.0.2/32 -m comment --comment \"name: \\\"n\\\" id: \\\"c\\\"\" -j "
                + chain + "\n-A POSTROUTING -j OTHER\n", "")
                : new Commands.Result(0, "", "");
        new FirewallRules(cmds, "b1").removeMasquerade("n", "c");
        assertEquals("""
                *nat
                -D POSTROUTING -s 10.1.0.2/32 -m comment --comment "name: \\"n\\" id: \\"c\\"" -j %s
                -F %s
                -X %s
                COMMIT
                """.formatted(chain, chain, chain), cmds.calls.getLast().stdin());

        cmds.calls.clear();
        cmds.responder = c -> new Commands.Result(1, "", "No chain/target/match by that name.");
        new FirewallRules(cmds, "b1").removeMasquerade("n", "c");
        assertEquals(1, cmds.calls.size(), "nothing to do when the chain is gone");
        assertTrue(cmds.lines().getFirst().endsWith("-S " + chain));
    }
}
