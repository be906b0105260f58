package berth.cli;

import java.util.ArrayList;
import java.util.List;

/** Every berth command, found by its words (the longest match wins: {@code image inspect} before {@code image}). */
final class Commands {
    private Commands() {}

    static final List<Main.Command> ALL;

    static {
        List<Main.Command> all = new ArrayList<>();
        all.addAll(RunCommands.ALL);
        all.addAll(ExecCommand.ALL);
        all.addAll(PsCommand.ALL);
        all.addAll(ContainerCommands.ALL);
        all.addAll(ContainerInfoCommands.ALL);
        all.addAll(StatsCommand.ALL);
        all.addAll(CopyCommand.ALL);
        all.addAll(InspectCommand.ALL);
        all.addAll(ImageCommands.ALL);
        all.addAll(RegistryCommands.ALL);
        all.addAll(ArchiveCommands.ALL);
        all.addAll(VolumeCommands.ALL);
        all.addAll(NetworkCommands.ALL);
        all.addAll(SystemCommands.ALL);
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
