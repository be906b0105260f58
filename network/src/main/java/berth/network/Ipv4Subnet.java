package berth.network;

/**
 * An IPv4 subnet, {@code base/prefix} with the host bits of {@code base} zero. Addresses are ints in
 * network order (the first octet in the top byte).
 */
record Ipv4Subnet(int base, int prefix) {
    Ipv4Subnet {
        if (prefix < 0 || prefix > 32) throw new IllegalArgumentException("prefix length " + prefix);
        if ((base & ~mask(prefix)) != 0) throw new IllegalArgumentException("host bits set in " + Ipv4Subnet.format(base) + "/" + prefix);
    }

    static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    /** Parses {@code a.b.c.d/n}; host bits must be zero (as Docker requires). */
    static Ipv4Subnet parse(String cidr) {
        int slash = cidr == null ? -1 : cidr.indexOf('/');
        if (slash < 0) throw new NetworkException.Invalid("invalid subnet \"" + cidr + "\": expected an IPv4 CIDR such as 172.30.0.0/16");
        int addr = parseAddress(cidr.substring(0, slash));
        int prefix;
        try {
            prefix = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 0 || prefix > 32) throw new NetworkException.Invalid("invalid subnet \"" + cidr + "\": bad prefix length");
        int base = addr & mask(prefix);
        if (base != addr) {
            throw new NetworkException.Invalid("invalid subnet " + cidr + ": it should be " + format(base) + "/" + prefix);
        }
        return new Ipv4Subnet(base, prefix);
    }

    /** Parses a dotted-quad IPv4 address (no names, no shorthand). */
    static int parseAddress(String s) {
        String[] parts = s == null ? new String[0] : s.split("\\.", -1);
        if (parts.length != 4) throw new NetworkException.Invalid("invalid IPv4 address \"" + s + "\"");
        int v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                throw new NetworkException.Invalid("invalid IPv4 address \"" + s + "\"");
            }
            int o = Integer.parseInt(p);
            if (o > 255) throw new NetworkException.Invalid("invalid IPv4 address \"" + s + "\"");
            v = (v << 8) | o;
        }
        return v;
    }

    static String format(int addr) {
        return ((addr >>> 24) & 255) + "." + ((addr >>> 16) & 255) + "." + ((addr >>> 8) & 255) + "." + (addr & 255);
    }

    int maskBits() {
        return mask(prefix);
    }

    boolean contains(int addr) {
        return (addr & maskBits()) == base;
    }

    boolean overlaps(Ipv4Subnet o) {
        int m = mask(Math.min(prefix, o.prefix));
        return (base & m) == (o.base & m);
    }

    int broadcast() {
        return base | ~maskBits();
    }

    /** The first usable host address (the gateway Docker picks). */
    int firstHost() {
        return prefix >= 31 ? base : base + 1;
    }

    /** Whether {@code addr} is in the subnet and neither its network nor its broadcast address. */
    boolean isHost(int addr) {
        return contains(addr) && (prefix >= 31 || (addr != base && addr != broadcast()));
    }

    @Override
    public String toString() {
        return format(base) + "/" + prefix;
    }
}
