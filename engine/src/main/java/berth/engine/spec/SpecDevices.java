package berth.engine.spec;

import berth.engine.spec.OciDefaults.DeviceRule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The container's device nodes and device cgroup rules, as dockerd's {@code WithDevices}: Docker's default rules
 * plus one allow rule per {@code --device} node and per {@code --device-cgroup-rule}; a privileged container gets
 * every host device and may use all of them.
 */
final class SpecDevices {
    private static final Pattern RULE = Pattern.compile("^([acb]) ([0-9]+|\\*):([0-9]+|\\*) ([rwm]{1,3})$");

    record Result(List<HostDevice> devices, List<DeviceRule> rules) {}

    private SpecDevices() {}

    static Result of(HostSettings h, HostDevices host) {
        List<HostDevice> devices = new ArrayList<>();
        List<DeviceRule> rules = new ArrayList<>(OciDefaults.DEVICE_RULES);
        try {
            if (h.privileged()) {
                devices.addAll(host.all());
                for (HostSettings.DeviceMapping d : h.devices()) {
                    if (!d.pathOnHost().equals(containerPath(d))) devices.addAll(fromPath(d, host, rules));
                }
                rules = List.of(new DeviceRule(true, null, null, null, "rwm"));
            } else {
                for (HostSettings.DeviceMapping d : h.devices()) devices.addAll(fromPath(d, host, rules));
                for (String rule : h.deviceCgroupRules()) rules.add(rule(rule));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("list host devices: " + e.getMessage(), e);
        }
        return new Result(devices, rules);
    }

    /** moby's DevicesFromPath: the node, or every node under a directory, at its path in the container. */
    private static List<HostDevice> fromPath(HostSettings.DeviceMapping d, HostDevices host, List<DeviceRule> rules) {
        List<HostDevice> found;
        try {
            found = host.at(d.pathOnHost());
        } catch (NoSuchFileException e) {
            throw gathering(d, "no such file or directory");
        } catch (IOException e) {
            throw gathering(d, e.getMessage());
        }
        if (found.isEmpty()) throw gathering(d, "not a device node");
        String permissions = d.cgroupPermissions().isEmpty() ? "rwm" : d.cgroupPermissions();
        List<HostDevice> out = new ArrayList<>();
        for (HostDevice dev : found) {
            String at = dev.path().isEmpty() ? containerPath(d) : containerPath(d) + "/" + dev.path();
            out.add(dev.at(at));
            rules.add(new DeviceRule(true, dev.type(), dev.major(), dev.minor(), permissions));
        }
        return out;
    }

    private static String containerPath(HostSettings.DeviceMapping d) {
        return d.pathInContainer().isEmpty() ? d.pathOnHost() : d.pathInContainer();
    }

    private static IllegalArgumentException gathering(HostSettings.DeviceMapping d, String why) {
        return new IllegalArgumentException("error gathering device information while adding custom device "
                + GoText.quote(d.pathOnHost()) + ": " + why);
    }

    /** "c 1:3 rwm", "a *:* m": type, major, minor ("*" for all) and access. */
    static DeviceRule rule(String text) {
        Matcher m = RULE.matcher(text);
        if (!m.matches()) throw new IllegalArgumentException("invalid device cgroup rule format: '" + text + "'");
        return new DeviceRule(true, m.group(1), number(m.group(2)), number(m.group(3)), m.group(4));
    }

    private static Long number(String s) {
        return s.equals("*") ? null : Long.parseLong(s);
    }
}
