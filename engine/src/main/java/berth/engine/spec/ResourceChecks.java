package berth.engine.spec;

import static berth.engine.spec.CreateValidator.fail;

/** dockerd's checks of HostConfig's resources ({@code verifyPlatformContainerResources}), with its messages. */
final class ResourceChecks {
    private static final long MIN_MEMORY = 6 * 1024 * 1024;

    private ResourceChecks() {}

    static void validate(HostSettings.Resources r, int cpus) {
        memory(r);
        cpu(r, cpus);
        cpuset("cpus", r.cpusetCpus(), cpus);
        cpuset("mems", r.cpusetMems(), -1);
        if (r.blkioWeight() > 0 && (r.blkioWeight() < 10 || r.blkioWeight() > 1000)) {
            fail("Range of blkio weight is from 10 to 1000");
        }
        if (r.ioMaximumBandwidth() != 0 || r.ioMaximumIOps() != 0) {
            fail("Invalid QoS settings: linux does not support Maximum IO Bandwidth or Maximum IO IOps");
        }
    }

    private static void memory(HostSettings.Resources r) {
        if (r.memory() != 0 && r.memory() < MIN_MEMORY) fail("Minimum memory limit allowed is 6MB");
        if (r.memory() > 0 && r.memorySwap() > 0 && r.memorySwap() < r.memory()) {
            fail("Minimum memoryswap limit should be larger than memory limit, see usage");
        }
        if (r.memory() == 0 && r.memorySwap() > 0) {
            fail("You should always set the Memory limit when using Memoryswap limit, see usage");
        }
        Long swappiness = r.memorySwappiness();
        if (swappiness != null && swappiness != -1 && (swappiness < 0 || swappiness > 100)) {
            fail("Invalid value: " + swappiness + ", valid memory swappiness range is 0-100");
        }
        if (r.memoryReservation() > 0 && r.memoryReservation() < MIN_MEMORY) {
            fail("Minimum memory reservation allowed is 6MB");
        }
        if (r.memory() > 0 && r.memoryReservation() > 0 && r.memory() < r.memoryReservation()) {
            fail("Minimum memory limit can not be less than memory reservation limit, see usage");
        }
        if (r.kernelMemory() > 0 && r.kernelMemory() < MIN_MEMORY) fail("Minimum kernel memory limit allowed is 6MB");
    }

    private static void cpu(HostSettings.Resources r, int cpus) {
        if (r.nanoCpus() > 0 && r.cpuPeriod() > 0) {
            fail("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        }
        if (r.nanoCpus() > 0 && r.cpuQuota() > 0) {
            fail("Conflicting options: Nano CPUs and CPU Quota cannot both be set");
        }
        if (r.nanoCpus() < 0 || r.nanoCpus() > cpus * 1_000_000_000L) {
            fail("Range of CPUs is from 0.01 to " + cpus + ".00, as there are only " + cpus + " CPUs available");
        }
        if (r.cpuShares() < 0) fail("shares: invalid argument");
        if (r.cpuPeriod() != 0 && (r.cpuPeriod() < 1000 || r.cpuPeriod() > 1_000_000)) {
            fail("CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
        }
        if (r.cpuQuota() > 0 && r.cpuQuota() < 1000) fail("CPU cfs quota can not be less than 1ms (i.e. 1000)");
        if (r.cpuRealtimePeriod() > 0) fail("Your kernel does not support CPU real-time scheduler");
        if (r.cpuRealtimeRuntime() != 0 && r.cpuRealtimePeriod() != 0 && r.cpuRealtimeRuntime() > r.cpuRealtimePeriod()) {
            fail("cpu-rt-runtime cannot be higher than cpu-rt-period");
        }
    }

    /** A list such as "0-2,4"; with {@code available} >= 0, every entry must be below it. */
    private static void cpuset(String what, String list, int available) {
        if (list.isEmpty()) return;
        for (String part : list.split(",", -1)) {
            String[] range = part.split("-", -1);
            if (range.length > 2 || !isNumber(range[0]) || !isNumber(range[range.length - 1])
                    || Integer.parseInt(range[range.length - 1]) < Integer.parseInt(range[0])) {
                fail("Invalid value " + list + " for cpuset " + what + ": invalid format: " + list);
            }
            if (available >= 0 && Integer.parseInt(range[range.length - 1]) >= available) {
                fail("Requested CPUs are not available - requested " + list + ", available: "
                        + (available == 1 ? "0" : "0-" + (available - 1)));
            }
        }
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.length() < 7 && s.chars().allMatch(Character::isDigit);
    }
}
