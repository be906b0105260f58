package berth.runtime.cli;

import berth.runtime.Json;

final class FeaturesCommand {
    static final Verb VERB = new Verb("features", "Print what this runtime supports (OCI features document).", "",
            new Flags(), FeaturesCommand::run);

    private FeaturesCommand() {}

    private static int run(Main main, Flags.Parsed a) {
        System.out.println(Json.write(Features.document(), true));
        return 0;
    }
}
