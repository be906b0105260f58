package berth.runtime.cli;

import berth.runtime.Json;
import berth.runtime.RuntimeError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

final class SpecCommand {
    static final Verb VERB = new Verb("spec", "Write a default config.json for a bundle.", "[flags]",
            new Flags()
            .value("bundle directory (default: the current directory)", "bundle", "b")
            .bool("a configuration for unprivileged users", "rootless"), SpecCommand::run);

    private SpecCommand() {}

    private static int run(Main main, Flags.Parsed a) {
        Path out = Path.of(a.get("bundle", ".")).resolve("config.json");
        if (Files.exists(out)) throw new RuntimeError("File " + out + " exists. Remove it first");
        try {
            Files.writeString(out, Json.write(DefaultSpec.build(a.is("rootless")), true) + "\n");
        } catch (IOException e) {
            throw new RuntimeError("write " + out + ": " + e.getMessage(), e);
        }
        return 0;
    }
}
