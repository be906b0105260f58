package berth.network.names;

import java.util.Objects;

/**
 * A legacy link, {@code --link name:alias}, from the container that asked for it to a running container on the
 * default network.
 *
 * @param name        the linked container's name, without Docker's leading slash
 * @param alias       the name it has inside the linking container ({@code name} when none was given)
 * @param containerId the linked container's full ID, to find its endpoint
 * @param hostname    the linked container's hostname (Docker's default: its short ID)
 */
public record Link(String name, String alias, String containerId, String hostname) {
    public Link {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(containerId, "containerId");
        if (name.startsWith("/")) name = name.substring(1);
        if (name.isEmpty() || alias.isEmpty()) throw new IllegalArgumentException("empty link name or alias");
    }

    /**
     * A link from Docker's flag value {@code name:alias} or {@code name}; the engine supplies the container it names.
     *
     * @throws IllegalArgumentException {@code bad format for links: x}, Docker's message
     */
    public static Link of(String flag, String containerId, String hostname) {
        String[] parts = flag.split(":", -1);
        if (parts.length > 2 || parts[0].isEmpty() || parts[parts.length - 1].isEmpty()) {
            throw new IllegalArgumentException("bad format for links: " + flag);
        }
        if (parts.length == 1) return new Link(parts[0], parts[0].replaceFirst("^/", ""), containerId, hostname);
        // Docker keeps links of a created container as "/name:/parent/alias"; the alias is the last element.
        String alias = parts[1].substring(parts[1].lastIndexOf('/') + 1);
        return new Link(parts[0], alias, containerId, hostname);
    }
}
