package berth.network.cni;

import java.nio.file.Path;
import java.util.Map;

/**
 * Runs a plugin binary: the seam between the CNI runtime and the processes it starts, so that tests can
 * record the calls and answer them.
 */
public interface PluginExec {

    /** What a plugin run produced. */
    record Output(int exitCode, byte[] stdout, String stderr) {}

    /**
     * Runs {@code plugin} with {@code env} added to (and overriding) the caller's environment, {@code stdin}
     * as its standard input, and waits for it to end.
     */
    Output exec(Path plugin, Map<String, String> env, byte[] stdin);
}
