package berth.network.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/** Records plugin runs and answers them from a queue (default: success, echoing prevResult or a stock result). */
final class RecordingPluginExec implements PluginExec {
    static final ObjectMapper JSON = new ObjectMapper();

    record Call(String plugin, Map<String, String> env, JsonNode stdin) {
        String command() {
            return env.get("CNI_COMMAND");
        }
    }

    final List<Call> calls = new ArrayList<>();
    final Deque<Output> answers = new ArrayDeque<>();

    static Output ok(String json) {
        return new Output(0, json.getBytes(StandardCharsets.UTF_8), "");
    }

    static Output fail(String stdout, String stderr) {
        return new Output(1, stdout.getBytes(StandardCharsets.UTF_8), stderr);
    }

    @Override
    public Output exec(Path plugin, Map<String, String> env, byte[] stdin) {
        JsonNode in;
        try {
            in = JSON.readTree(stdin);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        calls.add(new Call(plugin.getFileName().toString(), Map.copyOf(env), in));
        if (!answers.isEmpty()) return answers.poll();
        if (!"ADD".equals(env.get("CNI_COMMAND"))) return ok("");
        if (in.has("prevResult")) return ok(in.get("prevResult").toString());
        return ok("""
                {"cniVersion":"1.0.0","interfaces":[{"name":"br0","mac":"aa:00:00:00:00:01"},{"name":"veth1","mac":"aa:00:00:00:00:02"},
                 {"name":"eth0","mac":"aa:00:00:00:00:03","sandbox":"/run/netns/x"}],
                 "ips":[{"interface":2,"address":"10.9.0.2/24","gateway":"10.9.0.1"}],"routes":[{"dst":"0.0.0.0/0"}],"dns":{}}""");
    }
}
