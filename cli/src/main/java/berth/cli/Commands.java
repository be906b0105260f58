package berth.cli;

import java.util.ArrayList;
import java.util.List;

/** Every berth command, found by its words (the longest match wins: {@code image inspect} before {@code image}). */
final class Commands {
    private Commands() {}

    static final List<Main.Command> ALL;

    static {
        List<Main.Command> all = new ArrayList<>();
        all.addAll(ImageCommands.ALL);
        all.addAll(RegistryCommands.ALL);
        all.addAll(ArchiveCommands.ALL);
        ALL = List.copyOf(all);
    }

    static Main.Command find(List<String> args) {
        Main.Command best = null;
        for (Main.Command c : ALL) {
            List<String> w = c.words();
            if (args.size() >= w.size() && args.subList(0, w.size()).equals(w)
                    && (best == null || w.size() > best.words().size())) {
                best = c;
            }
        }
        return best;
    }
}
