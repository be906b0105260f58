package berth.runtime.cli;

import berth.runtime.spec.Capability;
import berth.runtime.spec.Spec;

import java.util.ArrayList;
import java.util.List;

/** runc's way of building an exec process from flags: the container's own process, with the flags laid over. */
final class ExecProcess {
    private ExecProcess() {}

    static Spec.Process fromFlags(Spec.Process base, Flags.Parsed a) {
        List<String> command = a.positionals().subList(1, a.positionals().size());
        if (command.isEmpty()) throw new UsageException("exec needs a command to run (or --process FILE)");
        List<String> env = new ArrayList<>(base.env());
        env.addAll(a.all("env"));
        Spec.User u = base.user();
        if (a.get("user") != null) {
            String[] parts = a.get("user").split(":", 2);
            try {
                u = new Spec.User(Long.parseLong(parts[0]), parts.length > 1 ? Long.parseLong(parts[1]) : u.gid(),
                        u.umask(), u.additionalGids());
            } catch (NumberFormatException e) {
                throw new UsageException("--user " + a.get("user") + ": expected UID[:GID] as numbers");
            }
        }
        if (!a.all("additional-gids").isEmpty()) {
            List<Long> gids = new ArrayList<>();
            for (String g : a.all("additional-gids")) {
                try {
                    gids.add(Long.parseLong(g));
                } catch (NumberFormatException e) {
                    throw new UsageException("--additional-gids " + g + ": expected a number");
                }
            }
            u = new Spec.User(u.uid(), u.gid(), u.umask(), List.copyOf(gids));
        }
        Spec.Capabilities c = base.capabilities();
        List<String> caps = a.all("cap");
        if (!caps.isEmpty()) {
            for (String cap : caps) {
                if (Capability.number(cap) < 0) throw new UsageException("--cap " + cap + ": unknown capability");
            }
            c = c == null ? new Spec.Capabilities(null, null, null, null, null) : c;
            c = new Spec.Capabilities(plus(c.bounding(), caps), plus(c.effective(), caps), c.inheritable(),
                    plus(c.permitted(), caps), c.ambient());
        }
        return new Spec.Process(a.is("tty"), base.consoleSize(), u, List.copyOf(command), env,
                a.get("cwd", base.cwd()), c, base.rlimits(), base.noNewPrivileges() || a.is("no-new-privs"), null);
    }

    private static List<String> plus(List<String> set, List<String> more) {
        List<String> out = new ArrayList<>(set == null ? List.of() : set);
        for (String m : more) {
            String name = m.toUpperCase().startsWith("CAP_") ? m.toUpperCase() : "CAP_" + m.toUpperCase();
            if (!out.contains(name)) out.add(name);
        }
        return out;
    }
}
