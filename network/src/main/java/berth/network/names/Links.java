package berth.network.names;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The environment variables of a legacy link, as Docker's {@code daemon/links} makes them for {@code --link
 * name:alias}. With the alias upper-cased and {@code -} turned into {@code _} as {@code ALIAS}, and the linked
 * container's exposed ports sorted (TCP first, then by protocol name, then by number):
 * <pre>
 * ALIAS_PORT=tcp://IP:PORT                    the first port
 * ALIAS_PORT_80_TCP=tcp://IP:80               for every port:
 * ALIAS_PORT_80_TCP_ADDR=IP
 * ALIAS_PORT_80_TCP_PORT=80
 * ALIAS_PORT_80_TCP_PROTO=tcp
 * ALIAS_PORT_8000_TCP_START=tcp://IP:8000     for every run of consecutive ports of one protocol, after the run:
 * ALIAS_PORT_8000_TCP_PORT_START=8000
 * ALIAS_PORT_8000_TCP_END=tcp://IP:8002
 * ALIAS_PORT_8000_TCP_PORT_END=8002
 * ALIAS_NAME=/linking/alias
 * ALIAS_ENV_VAR=value                         the linked container's environment, less HOME and PATH
 * </pre>
 * (Docker leaves out only HOME and PATH, which image builds add; HOSTNAME is not in a container's configured
 * environment, so it never appears.)
 */
public final class Links {
    private Links() {}

    /** An exposed port, {@code 80/tcp}. */
    record Port(int number, String protocol) {
        static Port parse(String spec) {
            int slash = spec.indexOf('/');
            String num = slash < 0 ? spec : spec.substring(0, slash);
            String proto = slash < 0 ? "tcp" : spec.substring(slash + 1).toLowerCase(Locale.ROOT);
            if (!proto.equals("tcp") && !proto.equals("udp") && !proto.equals("sctp")) {
                throw new IllegalArgumentException("invalid exposed port \"" + spec + "\": protocol is tcp, udp or sctp");
            }
            try {
                int n = Integer.parseInt(num);
                if (n >= 1 && n <= 65535) return new Port(n, proto);
            } catch (NumberFormatException e) {
                // below
            }
            throw new IllegalArgumentException("invalid exposed port \"" + spec + "\": want PORT[/PROTO], PORT 1-65535");
        }
    }

    private static final Comparator<Port> TCP_FIRST = Comparator
            .comparing((Port p) -> !p.protocol().equals("tcp"))
            .thenComparing(Port::protocol)
            .thenComparingInt(Port::number);

    /**
     * The variables for one link.
     *
     * @param linkingName  the name of the container that has the link (with or without Docker's leading slash)
     * @param alias        the link's alias
     * @param linkedIp     the linked container's address
     * @param exposedPorts the linked container's exposed ports, {@code 80/tcp} or {@code 80} (TCP)
     * @param linkedEnv    the linked container's configured environment, {@code KEY=value}
     */
    public static List<String> env(String linkingName, String alias, String linkedIp, Collection<String> exposedPorts,
                                   List<String> linkedEnv) {
        String prefix = alias.toUpperCase(Locale.ROOT).replace('-', '_');
        TreeSet<Port> sorted = new TreeSet<>(TCP_FIRST);
        for (String p : exposedPorts) sorted.add(Port.parse(p));
        List<Port> ports = List.copyOf(sorted);

        List<String> env = new ArrayList<>();
        Port start = null, end = null;
        for (int i = 0; i < ports.size(); i++) {
            Port p = ports.get(i);
            if (i == 0) {
                start = end = p;
                env.add(prefix + "_PORT=" + url(p, linkedIp));
            }
            String portPrefix = portPrefix(prefix, p);
            env.add(portPrefix + "=" + url(p, linkedIp));
            env.add(portPrefix + "_ADDR=" + linkedIp);
            env.add(portPrefix + "_PORT=" + p.number());
            env.add(portPrefix + "_PROTO=" + p.protocol());

            // Docker's loop: a port one past the run's end, of the same protocol, extends the run; the run's range
            // variables come when it ends (at a port that does not extend it, or at the last port).
            if (p.number() == end.number() + 1 && p.protocol().equals(end.protocol())) {
                end = p;
                if (i < ports.size() - 1) continue;
            }
            if (!end.equals(start)) {
                String rangePrefix = portPrefix(prefix, start);
                env.add(rangePrefix + "_START=" + url(start, linkedIp));
                env.add(rangePrefix + "_PORT_START=" + start.number());
                env.add(rangePrefix + "_END=" + url(end, linkedIp));
                env.add(rangePrefix + "_PORT_END=" + end.number());
            }
            start = end = p;
        }

        env.add(prefix + "_NAME=/" + linkingName.replaceFirst("^/", "") + "/" + alias);
        for (String kv : linkedEnv) {
            int eq = kv.indexOf('=');
            if (eq < 0) continue;
            String key = kv.substring(0, eq);
            if (key.equals("HOME") || key.equals("PATH")) continue;
            env.add(prefix + "_ENV_" + key + "=" + kv.substring(eq + 1));
        }
        return env;
    }

    /** {@link #env(String, String, String, Collection, List)} for a {@link Link}. */
    public static List<String> env(String linkingName, Link link, String linkedIp, Collection<String> exposedPorts,
                                   List<String> linkedEnv) {
        return env(linkingName, link.alias(), linkedIp, exposedPorts, linkedEnv);
    }

    private static String portPrefix(String prefix, Port p) {
        return prefix + "_PORT_" + p.number() + "_" + p.protocol().toUpperCase(Locale.ROOT);
    }

    private static String url(Port p, String ip) {
        return p.protocol() + "://" + ip + ":" + p.number();
    }
}
