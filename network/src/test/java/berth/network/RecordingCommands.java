package berth.network;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Records host commands and answers them: success with empty output unless a responder says otherwise. */
final class RecordingCommands implements Commands {
    record Call(List<String> argv, String stdin) {
        String line() {
            return String.join(" ", argv);
        }
    }

    final List<Call> calls = new ArrayList<>();
    Function<Call, Result> responder = c -> new Result(0, "", "");

    @Override
    public synchronized Result run(List<String> argv, String stdin) {
        Call c = new Call(List.copyOf(argv), stdin);
        calls.add(c);
        return responder.apply(c);
    }

    List<String> lines() {
        return calls.stream().map(Call::line).toList();
    }
}
