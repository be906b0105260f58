package berth.network.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * A plugin's (or a whole list's) success result (CNI spec, "Success"), for versions 0.3.0 to 1.0.0, which
 * share this shape. The JSON is kept as well, to pass on as the next plugin's {@code prevResult} unchanged.
 */
public record CniResult(String cniVersion, List<Interface> interfaces, List<IpConfig> ips, List<Route> routes,
                        Dns dns, ObjectNode json) {

    /** An interface the plugin created or used; {@code sandbox} is the namespace path for one inside it. */
    public record Interface(String name, String mac, String sandbox) {}

    /**
     * An address: {@code address} in CIDR form ({@code 10.1.0.2/16}), the {@code gateway} or null, and the
     * index into {@link #interfaces()} of its interface, or -1.
     */
    public record IpConfig(String address, String gateway, int interfaceIndex) {
        /** The address without its prefix length. */
        public String ip() {
            int slash = address.indexOf('/');
            return slash < 0 ? address : address.substring(0, slash);
        }

        /** The prefix length, or 32 if the address has none. */
        public int prefixLength() {
            int slash = address.indexOf('/');
            return slash < 0 ? 32 : Integer.parseInt(address.substring(slash + 1));
        }
    }

    public record Route(String dst, String gw) {}

    public record Dns(List<String> nameservers, String domain, List<String> search, List<String> options) {
        public Dns {
            nameservers = nameservers == null ? List.of() : List.copyOf(nameservers);
            search = search == null ? List.of() : List.copyOf(search);
            options = options == null ? List.of() : List.copyOf(options);
        }
    }

    public CniResult {
        interfaces = List.copyOf(interfaces);
        ips = List.copyOf(ips);
        routes = List.copyOf(routes);
        json = json.deepCopy();
    }

    @Override
    public ObjectNode json() {
        return json.deepCopy();
    }

    /** The first address on an interface inside the namespace (or the first address at all), or null. */
    public IpConfig sandboxAddress() {
        for (IpConfig ip : ips) {
            if (ip.interfaceIndex() >= 0 && ip.interfaceIndex() < interfaces.size()
                    && interfaces.get(ip.interfaceIndex()).sandbox() != null) return ip;
        }
        return ips.isEmpty() ? null : ips.getFirst();
    }

    /** The interface at {@code index}, or null. */
    public Interface interfaceAt(int index) {
        return index >= 0 && index < interfaces.size() ? interfaces.get(index) : null;
    }

    /** Reads a result document; {@code what} names it in errors. */
    public static CniResult parse(JsonNode n, String what) {
        if (!(n instanceof ObjectNode o)) throw new IllegalArgumentException(what + ": result is not a JSON object");
        List<Interface> ifs = new ArrayList<>();
        for (JsonNode i : o.path("interfaces")) {
            ifs.add(new Interface(i.path("name").asText(""), text(i, "mac"), text(i, "sandbox")));
        }
        List<IpConfig> ips = new ArrayList<>();
        for (JsonNode i : o.path("ips")) {
            String address = text(i, "address");
            if (address == null) throw new IllegalArgumentException(what + ": an IP without \"address\"");
            ips.add(new IpConfig(address, text(i, "gateway"), i.has("interface") ? i.get("interface").asInt(-1) : -1));
        }
        List<Route> routes = new ArrayList<>();
        for (JsonNode r : o.path("routes")) routes.add(new Route(text(r, "dst"), text(r, "gw")));
        JsonNode d = o.path("dns");
        Dns dns = new Dns(strings(d.path("nameservers")), text(d, "domain"), strings(d.path("search")), strings(d.path("options")));
        return new CniResult(o.path("cniVersion").asText(""), ifs, ips, routes, dns, o);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }

    private static List<String> strings(JsonNode arr) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : arr) out.add(s.asText());
        return out;
    }
}
