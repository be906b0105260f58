package berth.network.names;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A container's {@code /etc/hosts}, rendered as Docker's libnetwork renders it ({@code libnetwork/etchosts} and
 * {@code sandbox_dns_unix.go}), in its order:
 * <ol>
 *   <li>the loopback entries ({@link #DEFAULTS});</li>
 *   <li>{@code --add-host} entries;</li>
 *   <li>legacy link entries ({@code IP<TAB>alias hostname name});</li>
 *   <li>the container's own address on each network with its hostname ({@link HostsConfig#ownNames});</li>
 *   <li>berth's addition, in place of Docker's embedded DNS server: the other containers on each user-defined network
 *       the container is on, with their names, aliases and short IDs ({@link NameBook#peers}).</li>
 * </ol>
 * Lines are {@code IP<TAB>names}. The loopback block is the one Docker wrote up to 26.x ({@code fe00::0},
 * {@code ff00::0}); Docker 27+ prints the same addresses as {@code fe00::} and {@code ff00::}.
 *
 * <p>In the host's network namespace a container sees the host's own hosts file, with the {@code --add-host} entries
 * appended ({@link #hostMode}).
 */
public final class HostsFile {
    /** The host's hosts file, the base of a host-network container's. */
    public static final Path HOST_FILE = Path.of("/etc/hosts");

    /** The entries every container gets first, Docker's {@code defaultContent}. */
    public static final List<HostsEntry> DEFAULTS = List.of(
            new HostsEntry("127.0.0.1", "localhost"),
            new HostsEntry("::1", "localhost", "ip6-localhost", "ip6-loopback"),
            new HostsEntry("fe00::0", "ip6-localnet"),
            new HostsEntry("ff00::0", "ip6-mcastprefix"),
            new HostsEntry("ff02::1", "ip6-allnodes"),
            new HostsEntry("ff02::2", "ip6-allrouters"));

    private static final Set<PosixFilePermission> MODE_0644 =
            PosixFilePermissions.fromString("rw-r--r--");

    private HostsFile() {}

    /**
     * The hosts file of a container in a network namespace of its own.
     *
     * @param config the container's hostname, domain name and {@code --add-host} entries
     * @param links  its legacy link entries ({@link NameBook#links})
     * @param ownIps its addresses, one entry each ({@link NameBook#ownIps}); none in {@code --net none}
     * @param peers  the other containers it can reach by name ({@link NameBook#peers})
     */
    public static String render(HostsConfig config, List<HostsEntry> links, List<String> ownIps, List<HostsEntry> peers) {
        List<HostsEntry> entries = new ArrayList<>(DEFAULTS);
        entries.addAll(config.extraHosts());
        entries.addAll(links);
        for (String ip : ownIps) entries.add(new HostsEntry(ip, config.ownNames()));
        entries.addAll(peers);
        StringBuilder out = new StringBuilder();
        for (HostsEntry e : entries) out.append(e.line()).append('\n');
        return out.toString();
    }

    /**
     * The hosts file of a container in the host's network namespace: the host's file as it is, then the
     * {@code --add-host} entries. (Docker copies the host's file when there are no extra hosts, but replaces it by the
     * loopback block when there are; berth keeps the host's names in both cases.)
     */
    public static String hostMode(String hostFileContent, List<HostsEntry> extraHosts) {
        StringBuilder out = new StringBuilder(hostFileContent);
        if (!extraHosts.isEmpty() && !out.isEmpty() && out.charAt(out.length() - 1) != '\n') out.append('\n');
        for (HostsEntry e : extraHosts) out.append(e.line()).append('\n');
        return out.toString();
    }

    /** {@link #hostMode(String, List)} over the host file at {@code hostFile}; a missing file counts as empty. */
    public static String hostMode(Path hostFile, List<HostsEntry> extraHosts) throws IOException {
        String content;
        try {
            content = Files.readString(hostFile, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            content = "";
        } catch (IOException e) {
            throw new IOException("read " + hostFile + ": " + e.getMessage(), e);
        }
        return hostMode(content, extraHosts);
    }

    /**
     * Replaces the content of {@code file} in place: the same inode (truncate, then the whole content in one write),
     * because the file is bind-mounted into a running container and a renamed file would not be seen there. A reader
     * may see the file empty for the instant between the two; it never sees a mix of old and new lines. A missing file
     * is created with mode 0644. Callers writing one file from several threads serialise themselves
     * ({@link HostsUpdater} does).
     */
    public static void write(Path file, String content) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
        try (FileChannel ch = openForWrite(file)) {
            ch.truncate(0);
            while (bytes.hasRemaining()) ch.write(bytes, bytes.position());
        } catch (IOException e) {
            throw new IOException("write " + file + ": " + reason(e), e);
        }
    }

    /** Opens the file to write, creating it with mode 0644 (readable by every user in the container, whatever the umask). */
    private static FileChannel openForWrite(Path file) throws IOException {
        try {
            return FileChannel.open(file, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
            try {
                Files.setPosixFilePermissions(file, MODE_0644);
            } catch (IOException | RuntimeException failed) {
                ch.close();
                throw failed;
            }
            return ch;
        }
    }

    /** The current content, or null if there is no file. */
    static String read(Path file) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new IOException("read " + file + ": " + reason(e), e);
        }
    }

    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) return "no such file or directory";
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
