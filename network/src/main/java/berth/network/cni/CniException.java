package berth.network.cni;

/**
 * A CNI operation failed. The message is one line naming the network, the plugin, the command and the
 * plugin's own error, e.g. {@code network br1: plugin bridge ADD failed: failed to allocate for range 0:
 * 10.1.0.2 is not available (code 999)}.
 */
public final class CniException extends RuntimeException {
    /** Error codes the spec reserves (well-known error codes). */
    public static final int INCOMPATIBLE_VERSION = 1, UNSUPPORTED_FIELD = 2, UNKNOWN_CONTAINER = 3,
            INVALID_ENV = 4, IO_FAILURE = 5, DECODING_FAILURE = 6, INVALID_CONFIG = 7, TRY_AGAIN_LATER = 11;

    private final String network;
    private final String plugin;
    private final String command;
    private final int code;

    public CniException(String network, String plugin, String command, int code, String detail) {
        super("network " + network + ": plugin " + plugin + " " + command + " failed: " + detail
                + (code > 0 ? " (code " + code + ")" : ""));
        this.network = network;
        this.plugin = plugin;
        this.command = command;
        this.code = code;
    }

    public String network() {
        return network;
    }

    /** The plugin's type, e.g. {@code bridge}. */
    public String plugin() {
        return plugin;
    }

    /** ADD, DEL, CHECK or VERSION. */
    public String command() {
        return command;
    }

    /** The plugin's error code, or 0 if it gave none (crashed, no JSON). */
    public int code() {
        return code;
    }
}
