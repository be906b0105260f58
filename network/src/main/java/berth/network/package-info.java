/**
 * Container networking over CNI (the plugins of Debian's containernetworking-plugins: bridge, host-local,
 * portmap, firewall, loopback), invoked as the CNI spec says, as containerd and CRI-O do: named networks
 * stored by berth, attach/detach of a network namespace by path, published ports, and the files that
 * name things inside a container ({@code /etc/hosts}, {@code /etc/resolv.conf}, legacy link variables).
 */
package berth.network;
