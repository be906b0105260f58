package berth.runtime.cli;

import berth.runtime.Json;

final class FeaturesCommand implements Verb {
    private static final Flags FLAGS = new Flags();

    @Override
    public String name() {
        return "features";
    }

    @Override
    public String summary() {
        return "Print what this runtime supports (OCI features document).";
    }

    @Override
    public String synopsis() {
        return "";
    }

    @Override
    public Flags flags() {
        return FLAGS;
    }

    @Override
    public int run(Main main, Flags.Parsed a) {
        System.out.println(Json.write(Features.document(), true));
        return 0;
    }
}
