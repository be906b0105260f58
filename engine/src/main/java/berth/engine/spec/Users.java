package berth.engine.spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Resolves Config.User ("", "name", "uid", "name:group", "uid:gid") and HostConfig.GroupAdd against the
 * container's /etc/passwd and /etc/group, as runc's {@code user.GetExecUser} and dockerd's {@code getUser} do.
 * The files are found inside the root filesystem without following symlinks out of it.
 */
public final class Users {
    private static final long MAX_ID = Integer.MAX_VALUE;

    /**
     * A resolved user.
     *
     * @param additionalGids the primary gid first, then the user's supplementary groups, then GroupAdd (Docker's order)
     * @param home           the home directory from passwd, "/" when there is no entry
     */
    public record ResolvedUser(long uid, long gid, List<Long> additionalGids, String home) {
        public ResolvedUser {
            additionalGids = List.copyOf(additionalGids);
        }
    }

    private record PasswdEntry(String name, long uid, long gid, String home) {}

    private record GroupEntry(String name, long gid, List<String> members) {}

    private Users() {}

    /**
     * Resolves {@code user} and {@code groupAdd} in {@code rootfs}.
     *
     * @throws IllegalArgumentException with runc's message, e.g.
     *                                  "unable to find user foo: no matching entries in passwd file"
     * @throws UncheckedIOException     when /etc/passwd or /etc/group exists but cannot be read
     */
    public static ResolvedUser resolve(Path rootfs, String user, List<String> groupAdd) {
        int colon = user.indexOf(':');
        String userArg = colon < 0 ? user : user.substring(0, colon);
        String groupArg = colon < 0 ? "" : user.substring(colon + 1);
        Long uidArg = number(userArg), gidArg = number(groupArg);

        List<PasswdEntry> passwd = passwd(rootfs);
        PasswdEntry entry = passwd.stream().filter(p -> userArg.isEmpty() ? p.uid() == 0
                : uidArg != null ? p.uid() == uidArg : p.name().equals(userArg)).findFirst().orElse(null);
        long uid = 0, gid = 0;
        String home = "/";
        if (entry != null) {
            uid = entry.uid();
            gid = entry.gid();
            home = entry.home();
        } else if (!userArg.isEmpty()) {
            if (uidArg == null) {
                throw new IllegalArgumentException("unable to find user " + userArg + ": no matching entries in passwd file");
            }
            uid = inRange(uidArg);
        }

        List<Long> supplementary = new ArrayList<>();
        List<GroupEntry> groups = entry != null || !groupArg.isEmpty() ? groups(rootfs) : List.of();
        if (!groupArg.isEmpty()) {
            GroupEntry g = find(groups, e -> gidArg != null ? e.gid() == gidArg : e.name().equals(groupArg));
            if (g != null) {
                gid = g.gid();
            } else if (gidArg == null) {
                throw new IllegalArgumentException("unable to find group " + groupArg + ": no matching entries in group file");
            } else {
                gid = inRange(gidArg);
            }
        } else if (entry != null) {
            for (GroupEntry g : groups) if (g.members().contains(entry.name())) supplementary.add(g.gid());
        }

        List<Long> additional = new ArrayList<>();
        additional.add(gid);
        additional.addAll(supplementary);
        additional.addAll(additionalGroups(rootfs, groupAdd));
        return new ResolvedUser(uid, gid, additional, home);
    }

    /** runc's GetAdditionalGroups: names or gids from /etc/group, or plain numbers. */
    private static List<Long> additionalGroups(Path rootfs, List<String> names) {
        if (names.isEmpty()) return List.of();
        List<GroupEntry> groups = groups(rootfs);
        Set<Long> gids = new LinkedHashSet<>();
        for (String name : names) {
            GroupEntry g = find(groups, e -> e.name().equals(name) || String.valueOf(e.gid()).equals(name));
            if (g != null) {
                gids.add(g.gid());
            } else {
                Long n = number(name);
                if (n == null) throw new IllegalArgumentException("Unable to find group " + name);
                gids.add(inRange(n));
            }
        }
        return List.copyOf(gids);
    }

    private static GroupEntry find(List<GroupEntry> groups, Predicate<GroupEntry> match) {
        return groups.stream().filter(match).findFirst().orElse(null);
    }

    private static long inRange(long id) {
        if (id < 0 || id > MAX_ID) throw new IllegalArgumentException("uids and gids must be in range 0-" + MAX_ID);
        return id;
    }

    private static Long number(String s) {
        if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '9' || c == '-')) return null;
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static List<PasswdEntry> passwd(Path rootfs) {
        List<PasswdEntry> out = new ArrayList<>();
        for (String[] f : lines(rootfs, "/etc/passwd")) {
            out.add(new PasswdEntry(field(f, 0), id(field(f, 2)), id(field(f, 3)), field(f, 5)));
        }
        return out;
    }

    private static List<GroupEntry> groups(Path rootfs) {
        List<GroupEntry> out = new ArrayList<>();
        for (String[] f : lines(rootfs, "/etc/group")) {
            String members = field(f, 3);
            out.add(new GroupEntry(field(f, 0), id(field(f, 2)), members.isEmpty() ? List.of() : List.of(members.split(","))));
        }
        return out;
    }

    /** The file's non-empty lines split at ':'; a missing file has none. */
    private static List<String[]> lines(Path rootfs, String path) {
        List<String[]> out = new ArrayList<>();
        try {
            Path file = RootPath.resolve(rootfs, path);
            for (String line : new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n")) {
                String trimmed = line.strip();
                if (!trimmed.isEmpty()) out.add(trimmed.split(":", -1));
            }
        } catch (NoSuchFileException missing) {
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("read " + path + " in " + rootfs + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static String field(String[] fields, int i) {
        return i < fields.length ? fields[i] : "";
    }

    /** runc ignores malformed ids (Atoi's error) and reads them as 0. */
    private static long id(String s) {
        Long n = number(s);
        return n == null ? 0 : n;
    }
}
