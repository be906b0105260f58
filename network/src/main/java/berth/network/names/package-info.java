/**
 * The files that name things inside a container, as Docker writes them: {@code /etc/hosts}
 * ({@link berth.network.names.HostsFile}), {@code /etc/resolv.conf} ({@link berth.network.names.ResolvConf}) and the
 * legacy {@code --link} environment variables ({@link berth.network.names.Links}).
 *
 * <p>Containers on a user-defined network find each other two ways: through berth's embedded DNS server at
 * 127.0.0.11 ({@code berth.network.dns}, for DNS clients such as {@code nslookup}), and through their hosts files,
 * which keep working when no server runs: {@link berth.network.names.NameBook} works out, from the endpoints of every network, which names each container
 * should see (every other endpoint's container name, aliases and short ID, Docker's {@code DNSNames}), and
 * {@link berth.network.names.HostsUpdater} rewrites the hosts files of the containers an attach or detach affects, so
 * that a container started later becomes resolvable by the ones already running. Both take the endpoint lists as
 * input and query nothing themselves; rendering is pure, and only {@link berth.network.names.HostsFile#write} touches
 * the file system (in place, since the file is bind-mounted into the running container).
 */
package berth.network.names;
