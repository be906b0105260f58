package berth.network;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/**
 * berth's own iptables rules, one chain pair per berth root (named with the root's prefix), rebuilt whole
 * from the stored networks whenever they change:
 * <pre>
 * FORWARD -j BERTH-FWD-p                                   (first in FORWARD)
 * BERTH-FWD-p  -o p-+ ctstate RELATED,ESTABLISHED  ACCEPT    replies to the networks' own connections
 *              -i BR ! -o BR  DROP, -o BR ! -i BR  DROP      an internal network talks only to itself
 *              -o p-+ ctstate DNAT  ACCEPT                   published ports, from anywhere
 *              -i BR ! -o BR  -j BERTH-ISO-p                 per network: leaving it for ...
 *              -i p-+  ACCEPT                                outbound and within a network (FORWARD DROP hosts)
 * BERTH-ISO-p  -o p-+  DROP                                  ... another of our networks is refused
 * </pre>
 * The CNI plugins keep their own rules (portmap's DNAT chains, the bridge plugin's per-container
 * masquerade chains); {@link #removeMasquerade} cleans up the latter when the bridge plugin's DEL could
 * not (it skips them when the namespace is gone).
 */
final class FirewallRules {
    private final Commands cmds;
    private final String prefix;

    FirewallRules(Commands cmds, String prefix) {
        this.cmds = cmds;
        this.prefix = prefix;
    }

    String forwardChain() {
        return "BERTH-FWD-" + prefix;
    }

    String isolationChain() {
        return "BERTH-ISO-" + prefix;
    }

    /** The iptables-restore input (for {@code --noflush}) that (re)writes both chains. */
    String render(List<Network> networks) {
        String fwd = forwardChain(), iso = isolationChain(), any = prefix + "-+";
        StringBuilder sb = new StringBuilder("*filter\n");
        sb.append(':').append(fwd).append(" - [0:0]\n");
        sb.append(':').append(iso).append(" - [0:0]\n");
        sb.append("-A ").append(fwd).append(" -o ").append(any).append(" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n");
        for (Network n : networks) {
            if (!n.internal()) continue;
            sb.append("-A ").append(fwd).append(" -i ").append(n.bridge()).append(" ! -o ").append(n.bridge()).append(" -j DROP\n");
            sb.append("-A ").append(fwd).append(" -o ").append(n.bridge()).append(" ! -i ").append(n.bridge()).append(" -j DROP\n");
        }
        sb.append("-A ").append(fwd).append(" -o ").append(any).append(" -m conntrack --ctstate DNAT -j ACCEPT\n");
        for (Network n : networks) {
            if (n.internal()) continue;
            sb.append("-A ").append(fwd).append(" -i ").append(n.bridge()).append(" ! -o ").append(n.bridge()).append(" -j ").append(iso).append('\n');
        }
        sb.append("-A ").append(fwd).append(" -i ").append(any).append(" -j ACCEPT\n");
        sb.append("-A ").append(iso).append(" -o ").append(any).append(" -j DROP\n");
        sb.append("COMMIT\n");
        return sb.toString();
    }

    /** Makes the chains say what {@code networks} need; with no networks, removes them. */
    void apply(List<Network> networks) {
        if (networks.isEmpty()) {
            remove();
            return;
        }
        cmds.checkWithInput(render(networks), "iptables-restore", "-w", "--noflush");
        if (!cmds.run(List.of("iptables", "-w", "-C", "FORWARD", "-j", forwardChain()), null).ok()) {
            cmds.check("iptables", "-w", "-I", "FORWARD", "1", "-j", forwardChain());
        }
    }

    /**
     * Rewrites the chains if the jump to them is missing (after a reboot, or an {@code iptables -F}); one
     * {@code iptables -C} when all is well.
     */
    void ensure(Supplier<List<Network>> networks) {
        if (!cmds.run(List.of("iptables", "-w", "-C", "FORWARD", "-j", forwardChain()), null).ok()) apply(networks.get());
    }

    /** Removes the jump and both chains; absent ones are fine. */
    void remove() {
        for (int i = 0; i < 10 && cmds.run(List.of("iptables", "-w", "-D", "FORWARD", "-j", forwardChain()), null).ok(); i++) {
            // a duplicate jump (two processes inserting at once) would keep the chain referenced
        }
        for (String chain : List.of(forwardChain(), isolationChain())) {
            if (cmds.run(List.of("iptables", "-w", "-F", chain), null).ok()) cmds.check("iptables", "-w", "-X", chain);
        }
    }

    /** The bridge plugin's per-container masquerade chain: {@code CNI-} and 24 hex digits of SHA-512(network + containerId). */
    static String masqueradeChain(String network, String containerId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-512").digest((network + containerId).getBytes(StandardCharsets.UTF_8));
            return ("CNI-" + HexFormat.of().formatHex(h)).substring(0, 28);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Removes the bridge plugin's masquerade chain of the attachment and the POSTROUTING rules that jump to
     * it, if they are still there (bridge DEL leaves them when the namespace is gone).
     */
    void removeMasquerade(String network, String containerId) {
        String chain = masqueradeChain(network, containerId);
        if (!cmds.run(List.of("iptables", "-w", "-t", "nat", "-S", chain), null).ok()) return;
        StringBuilder restore = new StringBuilder("*nat\n");
        String rules = cmds.run(List.of("iptables", "-w", "-t", "nat", "-S", "POSTROUTING"), null).stdout();
        for (String line : rules.split("\n")) {
            if (line.startsWith("-A POSTROUTING ") && line.endsWith(" -j " + chain)) {
                restore.append("-D").append(line.substring(2)).append('\n');
            }
        }
        restore.append("-F ").append(chain).append("\n-X ").append(chain).append("\nCOMMIT\n");
        cmds.checkWithInput(restore.toString(), "iptables-restore", "-w", "--noflush");
    }
}
