package berth.image.layer;

/** glibc's split of a {@code dev_t} (as {@code st_rdev} and the JDK's {@code unix:rdev} give it). */
final class DeviceNumbers {
    private DeviceNumbers() {}

    /** {@code gnu_dev_major}. */
    static int major(long dev) {
        return (int) (((dev >>> 8) & 0xfff) | ((dev >>> 32) & 0xfffff000L));
    }

    /** {@code gnu_dev_minor}. */
    static int minor(long dev) {
        return (int) ((dev & 0xff) | ((dev >>> 12) & 0xffffff00L));
    }
}
