package berth.cgroups;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OCI {@code linux.resources} object as typed data. Absent values are null (left as they are);
 * limits of -1 mean "unlimited", as in the spec.
 */
public record Resources(Cpu cpu, Memory memory, Long pidsLimit, BlockIo blockIo, List<HugepageLimit> hugepageLimits,
                        List<DeviceRule> devices, Network network, Map<String, String> unified) {

    public static final Resources NONE = new Resources(null, null, null, null, List.of(), List.of(), null, Map.of());

    /** These resources with {@code more} device rules after their own. */
    public Resources withDeviceRules(List<DeviceRule> more) {
        List<DeviceRule> all = new ArrayList<>(devices);
        all.addAll(more);
        return new Resources(cpu, memory, pidsLimit, blockIo, hugepageLimits, List.copyOf(all), network, unified);
    }

    public record Cpu(Long shares, Long quota, Long period, Long realtimeRuntime, Long realtimePeriod, String cpus,
                      String mems, Long idle) {}

    public record Memory(Long limit, Long reservation, Long swap, Long swappiness, Boolean disableOomKiller) {}

    public record DeviceWeight(long major, long minor, Long weight, Long leafWeight) {}

    public record DeviceRate(long major, long minor, long rate) {}

    public record BlockIo(Long weight, Long leafWeight, List<DeviceWeight> weightDevice, List<DeviceRate> readBps,
                          List<DeviceRate> writeBps, List<DeviceRate> readIops, List<DeviceRate> writeIops) {}

    public record HugepageLimit(String pageSize, long limit) {}

    /** A device cgroup rule; null type/major/minor mean "all". */
    public record DeviceRule(boolean allow, String type, Long major, Long minor, String access) {
        /** The rule in the v1 devices.allow/deny syntax, e.g. "c 1:3 rwm" or "a *:* rwm". */
        public String v1() {
            String t = type == null || type.equals("a") ? "a" : type;
            String maj = major == null || major < 0 ? "*" : String.valueOf(major);
            String min = minor == null || minor < 0 ? "*" : String.valueOf(minor);
            return t + " " + maj + ":" + min + " " + (access == null || access.isEmpty() ? "rwm" : access);
        }
    }

    public record Network(Long classId, Map<String, Long> priorities) {}

    /** Reads the OCI JSON object (maps, lists, strings, numbers, booleans); errors name the field. */
    public static Resources fromOci(Map<String, Object> json) {
        if (json == null || json.isEmpty()) return NONE;
        Map<String, Object> c = map(json, "cpu"), m = map(json, "memory"), p = map(json, "pids"),
                b = map(json, "blockIO"), n = map(json, "network");
        Cpu cpu = c == null ? null : new Cpu(num(c, "shares"), num(c, "quota"), num(c, "period"),
                num(c, "realtimeRuntime"), num(c, "realtimePeriod"), str(c, "cpus"), str(c, "mems"), num(c, "idle"));
        Memory memory = m == null ? null : new Memory(num(m, "limit"), num(m, "reservation"), num(m, "swap"),
                num(m, "swappiness"), bool(m, "disableOOMKiller"));
        BlockIo blkio = b == null ? null : new BlockIo(num(b, "weight"), num(b, "leafWeight"),
                list(b, "weightDevice", "blockIO.weightDevice").stream().map(d -> new DeviceWeight(req(d, "major"), req(d, "minor"),
                        num(d, "weight"), num(d, "leafWeight"))).toList(),
                rates(b, "throttleReadBpsDevice"), rates(b, "throttleWriteBpsDevice"),
                rates(b, "throttleReadIOPSDevice"), rates(b, "throttleWriteIOPSDevice"));
        List<HugepageLimit> huge = list(json, "hugepageLimits", "hugepageLimits").stream()
                .map(h -> new HugepageLimit(str(h, "pageSize"), req(h, "limit"))).toList();
        List<DeviceRule> devices = list(json, "devices", "devices").stream()
                .map(d -> new DeviceRule(Boolean.TRUE.equals(d.get("allow")), str(d, "type"), num(d, "major"),
                        num(d, "minor"), str(d, "access"))).toList();
        Network network = null;
        if (n != null) {
            Map<String, Long> prios = new LinkedHashMap<>();
            for (Map<String, Object> pr : list(n, "priorities", "network.priorities")) prios.put(str(pr, "name"), req(pr, "priority"));
            network = new Network(num(n, "classID"), prios);
        }
        Map<String, String> unified = new LinkedHashMap<>();
        Map<String, Object> u = map(json, "unified");
        if (u != null) u.forEach((k, v) -> unified.put(k, String.valueOf(v)));
        return new Resources(cpu, memory, p == null ? null : num(p, "limit"), blkio, huge, devices, network, unified);
    }

    private static List<DeviceRate> rates(Map<String, Object> b, String key) {
        return list(b, key, "blockIO." + key).stream().map(d -> new DeviceRate(req(d, "major"), req(d, "minor"), req(d, "rate"))).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) return null;
        if (v instanceof Map<?, ?> x) return (Map<String, Object>) x;
        throw new IllegalArgumentException("linux.resources." + key + ": expected an object");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> m, String key, String where) {
        Object v = m.get(key);
        if (v == null) return List.of();
        if (!(v instanceof List<?> l)) throw new IllegalArgumentException("linux.resources." + where + ": expected a list");
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : l) {
            if (!(o instanceof Map<?, ?> x)) throw new IllegalArgumentException("linux.resources." + where + ": expected objects");
            out.add((Map<String, Object>) x);
        }
        return out;
    }

    private static String str(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? null : v.toString();
    }

    private static Boolean bool(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof Boolean b ? b : null;
    }

    private static long req(Map<String, Object> m, String key) {
        Long v = num(m, key);
        if (v == null) throw new IllegalArgumentException("linux.resources: \"" + key + "\" is required in " + m);
        return v;
    }

    private static Long num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) return null;
        if (v instanceof BigInteger b) return b.longValue(); // unsigned 64-bit values such as quota -1 as 2^64-1
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) return n.longValue();
        throw new IllegalArgumentException("linux.resources: \"" + key + "\" must be an integer, got " + v);
    }
}
